import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BenchmarkActionEntry,
  benchmarkActionEntries,
  biggerIsBetterFile,
  smallerIsBetterFile,
} from '../../reports/render-benchmark-action.js';
import { makeResults } from './fixtures/make-results.js';
import { type RenderedFixture, renderFixture } from './support/rendered-fixture.js';

/** What github-action-benchmark's custom tools read: an array of { name, unit, value, range?, extra? }. */
function expectActionShape(entries: unknown): asserts entries is BenchmarkActionEntry[] {
  expect(Array.isArray(entries)).toBe(true);
  for (const entry of entries as Record<string, unknown>[]) {
    expect(Object.keys(entry).every((k) => ['name', 'unit', 'value', 'range', 'extra'].includes(k))).toBe(
      true,
    );
    expect(typeof entry.name).toBe('string');
    expect(typeof entry.unit).toBe('string');
    expect(Number.isFinite(entry.value)).toBe(true);
    if ('range' in entry) expect(typeof entry.range).toBe('string');
    if ('extra' in entry) expect(typeof entry.extra).toBe('string');
  }
}

describe('github-action-benchmark files', () => {
  let fixture: RenderedFixture;
  beforeAll(() => {
    fixture = renderFixture();
  });
  afterAll(() => fixture?.remove());

  it('writes latency for customSmallerIsBetter: one entry per scenario × variant × percentile, in us', () => {
    const entries: unknown = JSON.parse(readFileSync(join(fixture.dir, smallerIsBetterFile), 'utf8'));
    expectActionShape(entries);
    expect(entries).toHaveLength(2 * 2 * 4);
    expect(entries.slice(0, 4).map((e) => e.name)).toEqual([
      'classify/grpc/p50',
      'classify/grpc/p90',
      'classify/grpc/p99',
      'classify/grpc/p99.9',
    ]);
    expect(new Set(entries.map((e) => e.unit))).toEqual(new Set(['us']));
    const p99 = entries.find((e) => e.name === 'classify/grpc/p99')!;
    expect(p99.value).toBeCloseTo(fixture.results.scenarios[0]!.estimates.p99Us.median, 0);
    expect(p99.range).toMatch(/^± [\d.]+$/);
    expect(p99.extra).toMatch(/^median of 3 repetitions; 95% CI/);
  });

  it('writes throughput for customBiggerIsBetter, in req/s', () => {
    const entries: unknown = JSON.parse(readFileSync(join(fixture.dir, biggerIsBetterFile), 'utf8'));
    expectActionShape(entries);
    expect(entries.map((e) => e.name)).toEqual([
      'classify/grpc/throughput',
      'classify/rest-json-h1/throughput',
      'classify-open-800/grpc/throughput',
      'classify-open-800/rest-json-h1/throughput',
    ]);
    expect(new Set(entries.map((e) => e.unit))).toEqual(new Set(['req/s']));
  });

  it('leaves out figures it has no value for instead of writing null', () => {
    const results = makeResults();
    const empty = {
      ...results,
      scenarios: results.scenarios.map((s, i) =>
        i === 0
          ? {
              ...s,
              repetitions: [],
              estimates: { ...s.estimates, rps: { ...s.estimates.rps, median: Number.NaN } },
            }
          : s,
      ),
    };
    const { smallerIsBetter, biggerIsBetter } = benchmarkActionEntries(empty);
    expect(biggerIsBetter).toHaveLength(3);
    expect(smallerIsBetter.every((e) => Number.isFinite(e.value))).toBe(true);
  });
});
