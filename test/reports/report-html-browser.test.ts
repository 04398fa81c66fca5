/**
 * report.html as a reader gets it: opened from file:// in Chromium with every network request
 * blocked, no console error, every chart drawn. Leaves a screenshot in test-artifacts/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../../bench/browser/chromium.js';
import { chartSpecs } from '../../reports/chart-specs.js';
import { renderHtml } from '../../reports/render-html.js';
import { buildReportModel } from '../../reports/report-model.js';
import { makeResults } from './fixtures/make-results.js';
import { sweepResults } from './fixtures/sweep-results.js';
import { artifactsDir, type RenderedFixture, renderFixture } from './support/rendered-fixture.js';

/** Lets file: URLs through and aborts, recording, every other request: the network is blocked. */
function fileOnly(blocked: string[]): (route: Route) => Promise<void> {
  return (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    blocked.push(url);
    return route.abort();
  };
}

const hasChromium = existsSync(chromiumPath);
const title = hasChromium
  ? 'report.html in Chromium'
  : `report.html in Chromium: SKIPPED, no Chromium at ${chromiumPath} (apt-get install -y chromium)`;

if (!hasChromium) console.warn(`${title}.`);

describe.skipIf(!hasChromium)(title, () => {
  let fixture: RenderedFixture;
  let profile: string;
  let context: BrowserContext;

  beforeAll(async () => {
    fixture = renderFixture();
    profile = mkdtempSync(join(tmpdir(), 'grpc-rest-bench-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: chromiumArgs,
    });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    fixture?.remove();
  });

  it('blocks and records a request to the network (the check below is not vacuous)', async () => {
    const page = await context.newPage();
    const blocked: string[] = [];
    await page.route('**/*', fileOnly(blocked));
    const probe = join(fixture.dir, 'probe.html');
    writeFileSync(
      probe,
      '<!doctype html><title>probe</title><img src="http://127.0.0.1:9/never.png" alt="">',
    );
    await page.goto(pathToFileURL(probe).href, { waitUntil: 'load' });
    expect(blocked).toEqual(['http://127.0.0.1:9/never.png']);
    await page.close();
  });

  it('opens from file:// without any network request, without console errors, and draws every chart', async () => {
    const blocked: string[] = [];
    const requested: string[] = [];
    const consoleErrors: string[] = [];
    await context.route('**/*', fileOnly(blocked));
    const page = await context.newPage();
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));

    await page.goto(pathToFileURL(join(fixture.dir, 'report.html')).href, { waitUntil: 'load' });
    const expected = chartSpecs(buildReportModel(fixture.results)).length;
    await page.waitForFunction(
      (n) => document.documentElement.getAttribute('data-charts-drawn') === String(n),
      expected,
    );

    const canvases = await page.evaluate(() =>
      [...document.querySelectorAll('canvas')].map((canvas) => {
        const context = canvas.getContext('2d')!;
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        let inked = 0;
        const colours = new Set<number>();
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
          if (a > 0 && (r < 240 || g < 240 || b < 240)) inked++;
          if (colours.size < 64) colours.add((r << 16) | (g << 8) | b);
        }
        return {
          id: canvas.id,
          label: canvas.getAttribute('aria-label') ?? '',
          inkedShare: inked / (data.length / 4),
          colours: colours.size,
        };
      }),
    );
    expect(canvases).toHaveLength(expected);
    for (const canvas of canvases) {
      expect(canvas.label.length, `${canvas.id} has a text alternative`).toBeGreaterThan(20);
      expect(canvas.inkedShare, `${canvas.id} is drawn`).toBeGreaterThan(0.01);
      expect(canvas.colours, `${canvas.id} has more than a background`).toBeGreaterThan(3);
    }

    // The warnings are near the top, before the first scenario.
    const order = await page.evaluate(() =>
      ['environment', 'connection-policy', 'warnings'].map(
        (id) => document.getElementById(id)?.getBoundingClientRect().top ?? -1,
      ),
    );
    const firstScenario = await page.evaluate(
      () => document.querySelector('section[id^="scenario-"]')?.getBoundingClientRect().top ?? -1,
    );
    expect(order.every((top) => top >= 0 && top < firstScenario)).toBe(true);
    expect(await page.locator('.banner').textContent()).toMatch(/warning/);

    mkdirSync(artifactsDir, { recursive: true });
    await page.screenshot({ path: join(artifactsDir, 'report-html.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(artifactsDir, 'report-html-print.png'), fullPage: true });

    expect(blocked).toEqual([]);
    expect(requested.filter((url) => !url.startsWith('file:'))).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('draws a partial run (a variant with no finished repetition) without errors', async () => {
    const results = makeResults({
      endReason: 'interrupted',
      variants: ['grpc', 'grpc-connect', 'rest-json-h1'],
    });
    const partial = {
      ...results,
      scenarios: results.scenarios.map((s, i) => (i === 5 ? { ...s, repetitions: [] } : s)),
    };
    const file = join(fixture.dir, 'partial.html');
    writeFileSync(file, renderHtml(partial));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const expected = chartSpecs(buildReportModel(partial)).length;
    await page.waitForFunction(
      (n) => document.documentElement.getAttribute('data-charts-drawn') === String(n),
      expected,
    );
    expect(errors).toEqual([]);
    expect(await page.locator('.banner.error').count()).toBe(1);
    await page.close();
  });

  it('opens with the verdict and draws the size charts with their crossovers, network blocked', async () => {
    const sweep = sweepResults(
      (['lan', 'wan'] as const).flatMap((network) =>
        [1_000, 30_000, 1_000_000].map((sizeBytes) => ({
          scenario: `${network}-${sizeBytes}`,
          network,
          sizeBytes,
          variants: {
            grpc: { p50Ms: 5 + sizeBytes / 2_000 },
            'rest-json-h1': { p50Ms: 10 + sizeBytes / 8_000 },
            'rest-binary-h1': { p50Ms: 9 + sizeBytes / 9_000 },
          },
        })),
      ),
    );
    const file = join(fixture.dir, 'decision.html');
    writeFileSync(file, renderHtml(sweep));
    const page = await context.newPage();
    const errors: string[] = [];
    const blocked: string[] = [];
    await page.route('**/*', fileOnly(blocked));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const specs = chartSpecs(buildReportModel(sweep));
    const decision = specs.filter((spec) => spec.scenario === '');
    expect(decision.map((spec) => spec.xScale)).toEqual(['log', 'log', 'log', 'log']);
    expect(decision[0]!.datasets.at(-1)).toMatchObject({ label: 'crossover', showLine: false });
    await page.waitForFunction(
      (n) => document.documentElement.getAttribute('data-charts-drawn') === String(n),
      specs.length,
    );
    const layout = await page.evaluate(() => ({
      verdict: document.getElementById('verdict')!.getBoundingClientRect().top,
      environment: document.getElementById('environment')!.getBoundingClientRect().top,
      sentences: document.querySelectorAll('#verdict li').length,
      links: [...document.querySelectorAll('#verdict li a')].map((a) => a.getAttribute('href')),
      inked: [...document.querySelectorAll('#crossovers canvas')].map((canvas) => {
        const c = canvas as HTMLCanvasElement;
        const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
        let inked = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i]! < 200 || data[i + 1]! < 200) inked++;
        return inked / (data.length / 4);
      }),
    }));
    expect(layout.verdict).toBeLessThan(layout.environment);
    expect(layout.sentences).toBeGreaterThan(1);
    expect(layout.sentences).toBeLessThanOrEqual(8);
    for (const href of layout.links) expect(await page.locator(href!).count(), href!).toBe(1);
    expect(layout.inked).toHaveLength(4);
    for (const share of layout.inked) expect(share).toBeGreaterThan(0.01);
    mkdirSync(artifactsDir, { recursive: true });
    await page.locator('#crossovers').screenshot({ path: join(artifactsDir, 'report-html-decision.png') });
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
