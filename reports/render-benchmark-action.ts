/**
 * Results in the formats github-action-benchmark reads for its custom tools: a JSON array of
 * `{ name, unit, value, range?, extra? }` entries (`range` and `extra` are free text shown in its
 * charts and comments). The action takes one tool per file, so two files are written:
 *
 *   benchmark-action-smaller-is-better.json  tool: customSmallerIsBetter  latency, one entry per
 *                                            scenario × variant × percentile (p50, p90, p99, p99.9), in us
 *   benchmark-action-bigger-is-better.json   tool: customBiggerIsBetter   throughput per scenario × variant, in req/s
 *
 * Names are `scenario/variant/figure`, e.g. `classify/grpc/p99`. Values are medians over
 * repetitions; `range` is the half-width of the 95% interval ("± 120").
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Results, ScenarioResult } from '../bench/results/results-types.js';
import { summarizeRepetitions } from '../bench/stats/confidence.js';
import { formatNumber } from './format.js';

export interface BenchmarkActionEntry {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly range?: string;
  readonly extra?: string;
}

export const smallerIsBetterFile = 'benchmark-action-smaller-is-better.json';
export const biggerIsBetterFile = 'benchmark-action-bigger-is-better.json';

const percentiles = [
  { key: 'p50', label: 'p50' },
  { key: 'p90', label: 'p90' },
  { key: 'p99', label: 'p99' },
  { key: 'p999', label: 'p99.9' },
] as const;

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

interface Figure {
  readonly value: number;
  readonly low: number | undefined;
  readonly high: number | undefined;
  readonly n: number;
}

function figure(values: readonly number[], estimate?: { median: number; low: number; high: number }): Figure {
  if (estimate && values.length >= 2)
    return { value: estimate.median, low: estimate.low, high: estimate.high, n: values.length };
  if (values.length === 0) return { value: Number.NaN, low: undefined, high: undefined, n: 0 };
  const summary = summarizeRepetitions(values);
  return {
    value: summary.median,
    low: summary.interval?.low,
    high: summary.interval?.high,
    n: values.length,
  };
}

function entry(
  name: string,
  unit: string,
  f: Figure,
  result: ScenarioResult,
  digits: number,
): BenchmarkActionEntry {
  const load =
    result.loadModel.model === 'open' ? `open loop at ${result.loadModel.rate} req/s` : 'closed loop';
  const interval =
    f.low !== undefined && f.high !== undefined
      ? `95% CI ${formatNumber(f.low)}–${formatNumber(f.high)} ${unit}`
      : 'no interval (fewer than 2 repetitions)';
  const range =
    f.low !== undefined && f.high !== undefined
      ? { range: `± ${formatNumber(Math.max(f.value - f.low, f.high - f.value)).replace(/,/g, '')}` }
      : {};
  return {
    name,
    unit,
    value: round(f.value, digits),
    ...range,
    extra: `median of ${f.n} repetitions; ${interval}\n${result.rpc} · ${result.payload} · ${load} · ${result.connectionPolicy.connections} connections × ${result.connectionPolicy.inFlightPerConnection} in flight\ndriver ${result.driver} · engine ${result.engine}`,
  };
}

/** Both files' entries; figures without a finite value are left out (the action cannot chart them). */
export function benchmarkActionEntries(results: Results): {
  readonly smallerIsBetter: BenchmarkActionEntry[];
  readonly biggerIsBetter: BenchmarkActionEntry[];
} {
  const smallerIsBetter: BenchmarkActionEntry[] = [];
  const biggerIsBetter: BenchmarkActionEntry[] = [];
  for (const result of results.scenarios) {
    const prefix = `${result.scenario}/${result.variant}`;
    const reps = result.repetitions;
    for (const { key, label } of percentiles) {
      const estimate =
        key === 'p50' ? result.estimates.p50Us : key === 'p99' ? result.estimates.p99Us : undefined;
      smallerIsBetter.push(
        entry(
          `${prefix}/${label}`,
          'us',
          figure(
            reps.map((r) => r.latencyUs[key]),
            estimate,
          ),
          result,
          1,
        ),
      );
    }
    biggerIsBetter.push(
      entry(
        `${prefix}/throughput`,
        'req/s',
        figure(
          reps.map((r) => r.rps),
          result.estimates.rps,
        ),
        result,
        2,
      ),
    );
  }
  const finite = (e: BenchmarkActionEntry) => Number.isFinite(e.value);
  return { smallerIsBetter: smallerIsBetter.filter(finite), biggerIsBetter: biggerIsBetter.filter(finite) };
}

/** Writes both files; returns their paths. */
export function writeBenchmarkAction(outDir: string, results: Results): string[] {
  const { smallerIsBetter, biggerIsBetter } = benchmarkActionEntries(results);
  const smaller = join(outDir, smallerIsBetterFile);
  const bigger = join(outDir, biggerIsBetterFile);
  writeFileSync(smaller, `${JSON.stringify(smallerIsBetter, null, 2)}\n`);
  writeFileSync(bigger, `${JSON.stringify(biggerIsBetter, null, 2)}\n`);
  return [smaller, bigger];
}
