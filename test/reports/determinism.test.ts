import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../reports/render-html.js';
import { renderMarkdown } from '../../reports/render-markdown.js';
import { regenerateReports } from '../../reports/write-reports.js';
import { type RenderedFixture, renderFixture } from './support/rendered-fixture.js';

describe('reports are deterministic', () => {
  let first: RenderedFixture;
  let second: string;

  beforeAll(() => {
    first = renderFixture();
    second = mkdtempSync(join(tmpdir(), 'grpc-rest-bench-regenerated-'));
  });

  afterAll(() => {
    first?.remove();
    if (second) rmSync(second, { recursive: true, force: true });
  });

  it('renders byte-identical HTML and Markdown twice from the same results', () => {
    const fromFile = JSON.parse(readFileSync(join(first.dir, 'results.json'), 'utf8'));
    expect(renderHtml(fromFile)).toBe(renderHtml(first.results));
    expect(renderHtml(fromFile)).toBe(renderHtml(fromFile));
    expect(renderMarkdown(fromFile)).toBe(renderMarkdown(first.results));
  });

  it('regenerates every file, byte for byte, from results.json alone', () => {
    copyFileSync(join(first.dir, 'results.json'), join(second, 'results.json'));
    const regenerated = regenerateReports(second);
    const names = (files: readonly string[], dir: string) => files.map((f) => relative(dir, f));
    expect(names(regenerated, second)).toEqual(names(first.files, first.dir));
    for (const name of names(first.files, first.dir)) {
      const a = readFileSync(join(first.dir, name));
      const b = readFileSync(join(second, name));
      expect(a.equals(b), `${name} is the same`).toBe(true);
    }
  });

  it('puts no clock time or random id in the HTML beyond those of the results', () => {
    const html = readFileSync(join(first.dir, 'report.html'), 'utf8');
    const stamps = new Set(html.match(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g) ?? []);
    expect([...stamps].sort()).toEqual([first.results.startedAt, first.results.finishedAt].sort());
  });
});
