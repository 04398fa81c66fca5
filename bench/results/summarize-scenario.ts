import { mergeCounts } from '../accounting/request-counts.js';
import type { Scenario, Variant } from '../scenarios/suite.js';
import { variantInfo } from '../scenarios/variants.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import { logScaleInterval } from '../stats/log-interval.js';
import { defaultProcessSpread } from '../stats/process-spread.js';
import { quantile } from '../stats/quantile.js';
import { comparePaired } from '../stats/verdict.js';
import type { Comparison, Estimate, Repetition, ScenarioResult } from './results-types.js';
import { saturationWarning } from './saturation-warning.js';

/**
 * Median and 95% interval of a figure over repetitions, with the method named. The interval is of
 * the geometric mean, computed on the log scale (log-interval.ts): never below zero. Without one
 * (one repetition, or a figure of 0) low and high are the median and `method` says "no interval".
 */
export function estimateOf(values: readonly number[]): Estimate {
  const median = quantile(values, 0.5);
  const interval = logScaleInterval(values);
  return {
    median,
    low: interval?.low ?? median,
    high: interval?.high ?? median,
    method: interval
      ? '95% Student-t interval of the geometric mean over repetitions (log scale)'
      : `no interval: ${values.length === 1 ? 'one repetition' : values.length === 0 ? 'no repetitions' : 'a figure of 0'}`,
  };
}

export interface VariantRun {
  readonly variant: Variant;
  readonly driver: string;
  readonly engine: string;
  readonly inFlightPerConnection: number;
  readonly repetitions: readonly Repetition[];
}

/** What a summary reads of a scenario. */
export type SummarizedScenario = Pick<
  Scenario,
  | 'name'
  | 'rpc'
  | 'payload'
  | 'family'
  | 'tls'
  | 'workers'
  | 'scalingOf'
  | 'load'
  | 'connections'
  | 'warmupMs'
  | 'durationMs'
>;

/** One (scenario, variant) entry of results.json: repetitions, their sums, merged histograms and estimates. */
export function summarizeScenario(scenario: SummarizedScenario, run: VariantRun): ScenarioResult {
  const reps = run.repetitions;
  const merged = LatencyHistogram.create();
  for (const rep of reps) merged.add(LatencyHistogram.decode(rep.histogram));
  const uncorrected = reps.every((rep) => rep.histogramUncorrected !== undefined) && reps.length > 0;
  const mergedUncorrected = LatencyHistogram.create();
  if (uncorrected)
    for (const rep of reps) mergedUncorrected.add(LatencyHistogram.decode(rep.histogramUncorrected!));
  const warnings: string[] = [];
  const saturated = saturationWarning(reps);
  if (saturated) warnings.push(saturated);
  const counts = mergeCounts(reps.map((rep) => rep.counts));
  if (counts.failed + counts.timedOut > 0) {
    warnings.push(
      `${counts.failed} failed and ${counts.timedOut} timed-out requests: ${JSON.stringify(counts.failedByCode)}`,
    );
  }
  if (counts.notSent > 0) warnings.push(`${counts.notSent} requests could not be sent on time (open loop)`);
  return {
    scenario: scenario.name,
    variant: run.variant,
    workers: scenario.workers,
    ...(scenario.scalingOf === undefined ? {} : { scalingOf: scenario.scalingOf }),
    rpc: scenario.rpc,
    payload: scenario.payload,
    family: scenario.family,
    tls: scenario.tls,
    driver: run.driver,
    engine: run.engine,
    loadModel: scenario.load,
    connectionPolicy: { connections: scenario.connections, inFlightPerConnection: run.inFlightPerConnection },
    warmupMs: scenario.warmupMs,
    durationMs: scenario.durationMs,
    repetitions: reps,
    counts,
    histogram: merged.encode(),
    latencyUs: merged.percentiles(),
    ...(uncorrected ? { latencyUsUncorrected: mergedUncorrected.percentiles() } : {}),
    estimates: {
      rps: estimateOf(reps.map((rep) => rep.rps)),
      p50Us: estimateOf(reps.map((rep) => rep.latencyUs.p50)),
      p99Us: estimateOf(reps.map((rep) => rep.latencyUs.p99)),
      serverCpuUsPerRequest: estimateOf(reps.map((rep) => rep.resources.serverCpuUsPerRequest)),
    },
    warnings,
  };
}

const figures: ReadonlyArray<{
  figure: Comparison['figure'];
  better: 'higher' | 'lower';
  pick: (r: Repetition) => number;
}> = [
  { figure: 'rps', better: 'higher', pick: (r) => r.rps },
  { figure: 'p50Us', better: 'lower', pick: (r) => r.latencyUs.p50 },
  { figure: 'p99Us', better: 'lower', pick: (r) => r.latencyUs.p99 },
];

/** Every variant against rest-json-h1, scenario by scenario, where both have figures. */
export function suiteComparisons(scenarios: readonly ScenarioResult[]): Comparison[] {
  const reference: Variant = 'rest-json-h1';
  return scenarios.flatMap((a) => {
    if (a.variant === reference) return [];
    const b = scenarios.find((s) => s.scenario === a.scenario && s.variant === reference);
    if (!b || a.repetitions.length === 0 || b.repetitions.length === 0) return [];
    // A variant with no answers has no figures to divide.
    return compareVariants(a, b).filter((comparison) => Number.isFinite(comparison.ratio));
  });
}

/**
 * a ÷ b for each headline figure over pairs of repetitions (repetition i of each ran in the same
 * round of the interleaved schedule), with its interval and one of the three verdict kinds.
 */
export function compareVariants(a: ScenarioResult, b: ScenarioResult): Comparison[] {
  const inOrder = (s: ScenarioResult) => [...s.repetitions].sort((x, y) => x.index - y.index);
  // Under an open loop the arrival rate sets the throughput: equal rates say nothing of capacity.
  const compared = a.loadModel.model === 'open' ? figures.filter((f) => f.figure !== 'rps') : figures;
  return compared.map(({ figure, better, pick }) => {
    const { ratio, interval, verdict } = comparePaired(inOrder(a).map(pick), inOrder(b).map(pick), {
      better,
      a: a.variant,
      b: b.variant,
      ...(figure === 'rps' ? { counts: { a: inOrder(a).map(answers), b: inOrder(b).map(answers) } } : {}),
      processSpread: sameServer(a.variant, b.variant) ? 0 : defaultProcessSpread[figure],
    });
    return {
      scenario: a.scenario,
      a: a.variant,
      b: b.variant,
      figure,
      ratio,
      ...(interval ? { interval: { low: interval.low, high: interval.high } } : {}),
      pairs: Math.min(a.repetitions.length, b.repetitions.length),
      kind: verdict.kind,
      verdict: verdict.text,
      ...(verdict.pairsToNarrow !== undefined ? { pairsToNarrow: verdict.pairsToNarrow } : {}),
    };
  });
}

/** Whether two variants of one scenario reach the same server process (rest-json-h1 and rest-proto-h1 do). */
export function sameServer(a: string, b: string): boolean {
  const server = (variant: string) =>
    (variantInfo as Record<string, { server: string } | undefined>)[variant]?.server;
  return server(a) !== undefined && server(a) === server(b);
}

/** The answers a repetition's rate was counted from. */
function answers(repetition: Repetition): number {
  return (repetition.rps * repetition.durationMs) / 1000;
}
