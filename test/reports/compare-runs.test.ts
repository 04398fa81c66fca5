import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareRuns, parsePercent, writeCompare } from '../../reports/compare-runs.js';
import { makeResults } from './fixtures/make-results.js';

const baseline = makeResults();
const outDirs: string[] = [];
afterAll(() => {
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
});

const statusOf = (c: ReturnType<typeof compareRuns>, key: string) =>
  c.rows.find((r) => `${r.scenario}/${r.variant}/${r.figure}` === key)?.status;

describe('comparing two runs', () => {
  it('finds no regression in a run compared with itself', () => {
    const comparison = compareRuns(baseline, baseline);
    expect(comparison.regression).toBe(false);
    expect(comparison.rows).toHaveLength(12);
    // With the default run-to-run spread (5% on throughput) no row can resolve ±10%: undecided, never a change.
    expect(new Set(comparison.rows.map((r) => r.status))).toEqual(new Set(['undecided']));
    const quiet = compareRuns(baseline, baseline, { runSpread: { throughput: 0, p50: 0, p99: 0 } });
    expect(statusOf(quiet, 'classify/grpc/throughput')).toBe('equivalent');
    expect(comparison.notes).toEqual([]);
  });

  it('reports a regression when throughput drops 30% and latency rises, beyond both runs’ noise', () => {
    // Another run (another seed: its own noise), with the samples shifted.
    const slower = makeResults({ seed: 7, throughputFactor: 0.7, latencyFactor: 1.3 });
    const comparison = compareRuns(baseline, slower);
    expect(comparison.regression).toBe(true);
    for (const variant of ['grpc', 'rest-json-h1']) {
      const row = comparison.rows.find(
        (r) => r.scenario === 'classify' && r.variant === variant && r.figure === 'throughput',
      )!;
      expect(row.status).toBe('regression');
      expect(row.change).toBeCloseTo(-0.3, 1);
      expect(statusOf(comparison, `classify-open-800/${variant}/p50`)).toBe('regression');
    }
    // An open loop's rate is set by its schedule: no throughput change to call.
    expect(statusOf(comparison, 'classify-open-800/grpc/throughput')).not.toMatch(/regression|improvement/);
  });

  it('fails an unchanged build rarely: the gate holds its error over the whole table, not per row', () => {
    const runSpread = { throughput: 0, p50: 0, p99: 0 };
    let failedTables = 0;
    let rowsBeyondOwnInterval = 0;
    for (let seed = 100; seed < 120; seed++) {
      const comparison = compareRuns(makeResults({ seed }), makeResults({ seed: seed + 1000 }), { runSpread });
      if (comparison.regression) failedTables++;
      rowsBeyondOwnInterval += comparison.rows.filter((r) => r.pValue < 0.05).length;
    }
    expect(failedTables).toBeLessThanOrEqual(1);
    // Row by row at 5%, the same tables would have raised alarms.
    expect(rowsBeyondOwnInterval).toBeGreaterThan(failedTables);
  });

  it('finds no regression in a change within the noise', () => {
    for (const seed of [2, 3, 4]) {
      const comparison = compareRuns(baseline, makeResults({ seed, throughputFactor: 0.995 }));
      expect(comparison.regression, `seed ${seed}`).toBe(false);
      expect(
        comparison.rows.filter((r) => r.status === 'improvement'),
        `seed ${seed}`,
      ).toEqual([]);
    }
  });

  it('needs the change to reach the minimum effect as well', () => {
    const quiet = makeResults({ noise: 0.002 });
    const slightlySlower = makeResults({ seed: 9, noise: 0.002, throughputFactor: 0.97 });
    // A quiet machine: no run-to-run spread beyond the repetitions.
    const runSpread = { throughput: 0, p50: 0, p99: 0 };
    const strict = compareRuns(quiet, slightlySlower, { thresholdPercent: 5, runSpread });
    expect(strict.regression).toBe(false);
    expect(statusOf(strict, 'classify/grpc/throughput')).toBe('below threshold');
    const lenient = compareRuns(quiet, slightlySlower, { thresholdPercent: parsePercent('1%'), runSpread });
    expect(lenient.regression).toBe(true);
    expect(statusOf(lenient, 'classify/grpc/throughput')).toBe('regression');
  });

  it('calls an improvement an improvement, not a regression', () => {
    const faster = makeResults({ seed: 7, throughputFactor: 1.3, latencyFactor: 0.7 });
    const comparison = compareRuns(baseline, faster);
    expect(comparison.regression).toBe(false);
    expect(statusOf(comparison, 'classify/grpc/throughput')).toBe('improvement');
  });

  it('says what it cannot compare and what differs between the runs', () => {
    const other = makeResults({ variants: ['grpc', 'grpc-connect'] });
    const moved = {
      ...other,
      environment: { ...other.environment, cpuModel: 'Some Other CPU', node: 'v22.0.0' },
    };
    const comparison = compareRuns(baseline, moved);
    expect(comparison.onlyInBaseline).toEqual(['classify/rest-json-h1', 'classify-open-800/rest-json-h1']);
    expect(comparison.onlyInCurrent).toEqual(['classify/grpc-connect', 'classify-open-800/grpc-connect']);
    expect(comparison.notes).toContain(
      'CPU differs: AMD EPYC 7B13 64-Core Processor (baseline) vs Some Other CPU (current)',
    );
    const single = makeResults({ repetitions: 1 });
    expect(new Set(compareRuns(single, single).rows.map((r) => r.status))).toEqual(
      new Set(['not comparable']),
    );
  });

  it('parses a percentage and refuses anything else', () => {
    expect(parsePercent('5%')).toBe(5);
    expect(parsePercent(' 2.5 ')).toBe(2.5);
    expect(() => parsePercent('five')).toThrow(/not a percentage/);
    expect(() => parsePercent('-5%')).toThrow(/not a percentage/);
  });

  it('writes compare.md and compare.html that name the regressions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grpc-rest-bench-compare-'));
    outDirs.push(dir);
    const { files, regression } = writeCompare(
      dir,
      baseline,
      makeResults({ seed: 7, throughputFactor: 0.7 }),
      {
        thresholdPercent: 5,
      },
    );
    expect(regression).toBe(true);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['compare.md', 'compare.html']);
    const md = readFileSync(join(dir, 'compare.md'), 'utf8');
    expect(md).toMatch(/\[!CAUTION\]\n> \d+ regressions? found/);
    expect(md).toMatch(
      /\| classify \| grpc \| throughput \(req\/s\) \| 4,201 \([\d,]+–[\d,]+\) \| [\d,]+ \([\d,]+–[\d,]+\) \| −\d+\.\d% \(−\d+\.\d% to −\d+\.\d%\) \| \*\*regression\*\* \|/,
    );
    const html = readFileSync(join(dir, 'compare.html'), 'utf8');
    expect(html).toContain('<tr class="regression">');
    expect(html).not.toMatch(/https?:\/\//);
  });
});
