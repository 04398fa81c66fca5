import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Results } from '../../bench/results/results-types.js';
import { compareRuns, parsePercent, writeCompare } from '../../reports/compare-runs.js';
import { makeResults } from './fixtures/make-results.js';

const baseline = makeResults();
const outDirs: string[] = [];
afterAll(() => {
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
});

/** A quiet machine's run-to-run spread (the fixture's runs differ only by their repetitions' noise). */
const quiet = { runSpread: { throughput: 0.02, p50: 0.02, p99: 0.05 } };

const statusOf = (c: ReturnType<typeof compareRuns>, key: string) =>
  c.rows.find((r) => `${r.scenario}/${r.variant}${r.relative ? ' vs others' : ''}/${r.figure}` === key)
    ?.status;

/** The run with one variant's closed-loop throughput multiplied by `factor`. */
const withVariantThroughput = (results: Results, variant: string, factor: number): Results => ({
  ...results,
  scenarios: results.scenarios.map((s) =>
    s.variant !== variant
      ? s
      : { ...s, repetitions: s.repetitions.map((r) => ({ ...r, rps: r.rps * factor })) },
  ),
});

describe('comparing two runs', () => {
  it('finds no regression in a run compared with itself', () => {
    const comparison = compareRuns(baseline, baseline);
    expect(comparison.regression).toBe(false);
    // 2 scenarios × 2 variants × 3 figures (the open loop without throughput), each also
    // against the scenario's other variant.
    expect(comparison.rows).toHaveLength(20);
    expect(comparison.rows.filter((r) => r.relative)).toHaveLength(10);
    // With the run-to-run spread of a busy machine no row can resolve ±10%: undecided, never a change.
    expect(new Set(comparison.rows.map((r) => r.status))).toEqual(new Set(['undecided']));
    const none = compareRuns(baseline, baseline, { runSpread: { throughput: 0, p50: 0, p99: 0 } });
    expect(statusOf(none, 'classify/grpc/throughput')).toBe('equivalent');
    expect(comparison.notes).toEqual([]);
  });

  it('reports a regression when throughput drops 30% and latency rises, beyond both runs’ noise', () => {
    // Another run (another seed: its own noise), with the samples shifted.
    const slower = makeResults({ seed: 7, throughputFactor: 0.7, latencyFactor: 1.3 });
    const comparison = compareRuns(baseline, slower, quiet);
    expect(comparison.regression).toBe(true);
    for (const variant of ['grpc', 'rest-json-h1']) {
      const row = comparison.rows.find(
        (r) => r.scenario === 'classify' && r.variant === variant && r.figure === 'throughput',
      )!;
      expect(row.status).toBe('regression');
      expect(row.change).toBeCloseTo(-0.3, 1);
      expect(statusOf(comparison, `classify-open-800/${variant}/p50`)).toBe('regression');
    }
    // An open loop's rate is set by its schedule: no throughput row to test.
    expect(statusOf(comparison, 'classify-open-800/grpc/throughput')).toBeUndefined();
  });

  it('fails an unchanged build rarely: the gate holds its error over the whole table, not per row', () => {
    const runSpread = { throughput: 0, p50: 0, p99: 0 };
    let failedTables = 0;
    let rowsBeyondOwnInterval = 0;
    for (let seed = 100; seed < 120; seed++) {
      const comparison = compareRuns(makeResults({ seed }), makeResults({ seed: seed + 1000 }), {
        runSpread,
      });
      if (comparison.regression) failedTables++;
      rowsBeyondOwnInterval += comparison.rows.filter((r) => r.pValue < 0.05).length;
    }
    expect(failedTables).toBeLessThanOrEqual(1);
    // Row by row at 5%, the same tables would have raised alarms.
    expect(rowsBeyondOwnInterval).toBeGreaterThan(failedTables);
  });

  it("judges each variant against its scenario's others: a loss in one protocol stands out from a machine that swung", () => {
    // Between the runs the whole machine got 15% slower, far inside the run-to-run spread of 20%
    // given here for absolute rows; grpc lost another 25% on its own.
    const machine = makeResults({ seed: 7, throughputFactor: 0.85 });
    const spread = {
      runSpread: { throughput: 0.2, p50: 0.2, p99: 0.4, relative: { throughput: 0.03, p50: 0.03, p99: 0.1 } },
    };
    const comparison = compareRuns(baseline, withVariantThroughput(machine, 'grpc', 0.75), spread);
    expect(statusOf(comparison, 'classify/grpc/throughput')).toBe('undecided');
    expect(statusOf(comparison, 'classify/grpc vs others/throughput')).toBe('regression');
    const row = comparison.rows.find((r) => r.relative && r.variant === 'grpc' && r.figure === 'throughput')!;
    expect(row.change).toBeCloseTo(-0.25, 1);
    // The sides are the variant's share of the others': grpc ran 4,200 to rest-json-h1's 3,150.
    expect(row.baseline!.median).toBeCloseTo(4200 / 3150, 1);
    expect(comparison.regression).toBe(true);
    // The machine alone moves every variant alike: nothing against the others.
    const alike = compareRuns(baseline, machine, spread);
    expect(alike.rows.filter((r) => r.relative).map((r) => r.status)).not.toContain('regression');
    expect(Math.abs(alike.rows.find((r) => r.relative && r.figure === 'throughput')!.change)).toBeLessThan(
      0.05,
    );
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
    const steady = makeResults({ noise: 0.002 });
    const slightlySlower = makeResults({ seed: 9, noise: 0.002, throughputFactor: 0.97 });
    // A quiet machine: no run-to-run spread beyond the repetitions.
    const runSpread = { throughput: 0, p50: 0, p99: 0 };
    const strict = compareRuns(steady, slightlySlower, { thresholdPercent: 5, runSpread });
    expect(strict.regression).toBe(false);
    expect(statusOf(strict, 'classify/grpc/throughput')).toBe('below threshold');
    const lenient = compareRuns(steady, slightlySlower, { thresholdPercent: parsePercent('1%'), runSpread });
    expect(lenient.regression).toBe(true);
    expect(statusOf(lenient, 'classify/grpc/throughput')).toBe('regression');
  });

  it('calls an improvement an improvement, not a regression', () => {
    const faster = makeResults({ seed: 7, throughputFactor: 1.3, latencyFactor: 0.7 });
    const comparison = compareRuns(baseline, faster, quiet);
    expect(comparison.regression).toBe(false);
    expect(statusOf(comparison, 'classify/grpc/throughput')).toBe('improvement');
  });

  it('says what it cannot compare and what differs between the runs', () => {
    const other = makeResults({ variants: ['grpc', 'grpc-connect'] });
    const moved = {
      ...other,
      environment: {
        ...other.environment,
        cpuModel: 'Some Other CPU',
        node: 'v22.0.0',
        steadiness: { memoryBound: 0.156, registerOnly: 0.013, windows: 12, windowMs: 50 },
      },
    };
    const comparison = compareRuns(baseline, moved);
    expect(comparison.onlyInBaseline).toEqual(['classify/rest-json-h1', 'classify-open-800/rest-json-h1']);
    expect(comparison.onlyInCurrent).toEqual(['classify/grpc-connect', 'classify-open-800/grpc-connect']);
    expect(comparison.notes).toContain(
      'CPU differs: AMD EPYC 7B13 64-Core Processor (baseline) vs Some Other CPU (current)',
    );
    // The baseline's machine was steady (1.2%), the current one's was not.
    expect(comparison.notes.filter((note) => note.includes('unsteady'))).toEqual([
      "the current run's machine was unsteady: memory-bound work varied 15.6% between 50 ms windows before the run, register-only work 1.3% (standard deviation of the log, 12 windows each)",
    ]);
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
      { thresholdPercent: 5, ...quiet },
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
