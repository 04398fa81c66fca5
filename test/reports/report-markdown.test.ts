import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lexer, type Token, type Tokens } from 'marked';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../bench/results/results-types.js';
import { chartPngPath, chartSpecs } from '../../reports/chart-specs.js';
import { markdownLimitBytes, renderMarkdown } from '../../reports/render-markdown.js';
import { buildReportModel } from '../../reports/report-model.js';
import { makeResults } from './fixtures/make-results.js';
import { type RenderedFixture, renderFixture } from './support/rendered-fixture.js';

function walk(tokens: readonly Token[], visit: (token: Token) => void): void {
  for (const token of tokens) {
    visit(token);
    const nested = token as { tokens?: Token[]; items?: Token[] };
    if (nested.tokens) walk(nested.tokens, visit);
    if (nested.items) walk(nested.items, visit);
    if (token.type === 'table') {
      const table = token as Tokens.Table;
      for (const cell of [...table.header, ...table.rows.flat()]) walk(cell.tokens, visit);
    }
  }
}

/** Cells of a raw table line: split on pipes not escaped with a backslash, without the outer ones. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/);
}

function tablesOf(markdown: string): Tokens.Table[] {
  const tables: Tokens.Table[] = [];
  walk(lexer(markdown), (token) => {
    if (token.type === 'table') tables.push(token as Tokens.Table);
  });
  return tables;
}

describe('report.md', () => {
  let fixture: RenderedFixture;
  let markdown: string;

  beforeAll(() => {
    fixture = renderFixture();
    markdown = readFileSync(join(fixture.dir, 'report.md'), 'utf8');
  });
  afterAll(() => fixture?.remove());

  it('opens with the verdict, then the environment, and shows the warnings before the tables', () => {
    const headings: string[] = [];
    walk(lexer(markdown), (token) => {
      if (token.type === 'heading') headings.push((token as Tokens.Heading).text);
    });
    expect(headings.slice(0, 7)).toEqual([
      'grpc-rest-bench: fixture',
      'Verdict',
      'Crossovers',
      'Environment',
      'Connection policy',
      'Warnings',
      'Scenario classify',
    ]);
    expect(markdown).toContain('AMD EPYC 7B13');
    expect(markdown).toContain(fixture.results.environment.gitCommit);
    expect(markdown).toMatch(
      /steadiness: +memory-bound work varied 1\.2% between 50 ms windows before the run, register-only work 0\.8%/,
    );
    expect(markdown).toMatch(/Driver saturated/);
    expect(markdown).toMatch(/failed or timed out/);
  });

  it('has well-formed tables: a separator row and the same number of cells in every row', () => {
    const tables = tablesOf(markdown);
    // Environment, connection policy, one headline table per scenario.
    expect(tables).toHaveLength(4);
    for (const table of tables) {
      const lines = table.raw.trim().split('\n');
      expect(lines[1]).toMatch(/^\|( ?:?-{3,}:? ?\|)+$/);
      const width = cells(lines[0]!).length;
      expect(width).toBe(table.header.length);
      for (const line of lines) expect(cells(line), line).toHaveLength(width);
      for (const row of table.rows) expect(row).toHaveLength(width);
    }
  });

  it('has the headline figures with intervals, ratios and verdicts', () => {
    const [classify] = tablesOf(markdown).filter((t) => t.header[0]?.text === 'variant');
    expect(classify!.header.map((h) => h.text)).toEqual([
      'variant',
      'throughput (req/s)',
      'p50 (ms)',
      'p99 (ms)',
      'p99.9 (ms)',
      'request size (B/call)',
      'response size (B/call)',
      'server CPU (µs/req)',
      'errors',
      'verdict vs rest-json-h1',
    ]);
    const grpc = classify!.rows[0]!;
    expect(grpc[1]!.text).toMatch(/^4,\d{3}<br><sub>[\d,]+–[\d,]+<\/sub><br>1\.\d+× \*\*better\*\*$/);
    expect(grpc.at(-1)!.text).toMatch(/^grpc better: throughput/);
    expect(classify!.rows[1]![0]!.text).toContain('(reference)');
  });

  it('stays under 1 MiB', () => {
    expect(Buffer.byteLength(markdown)).toBeLessThan(markdownLimitBytes);
  });

  it('references every chart by a relative path that exists', () => {
    const images: string[] = [];
    walk(lexer(markdown), (token) => {
      if (token.type === 'image') images.push((token as Tokens.Image).href);
    });
    const expected = chartSpecs(buildReportModel(fixture.results)).map(chartPngPath);
    expect(images).toEqual(expected);
    for (const image of images) {
      expect(image).toMatch(/^charts\/[a-z0-9-]+\.png$/);
      expect(existsSync(join(fixture.dir, image)), image).toBe(true);
    }
  });

  it('stays under 1 MiB, with well-formed tables, even for a very large suite', () => {
    const base = makeResults({ seed: 5 });
    const many: Results = {
      ...base,
      scenarios: Array.from({ length: 240 }, (_, i) =>
        base.scenarios.map((s) => ({ ...s, scenario: `${s.scenario}-${i}` })),
      ).flat(),
    };
    const big = renderMarkdown(many);
    expect(Buffer.byteLength(big)).toBeLessThanOrEqual(markdownLimitBytes);
    for (const table of tablesOf(big)) {
      const lines = table.raw.trim().split('\n');
      for (const line of lines) expect(cells(line)).toHaveLength(table.header.length);
    }
  });
});
