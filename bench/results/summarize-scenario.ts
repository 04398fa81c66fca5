import { mergeCounts } from '../accounting/request-counts.js';
import type { Scenario, Variant } from '../scenarios/suite.js';
import { type Better, compareFigures } from '../stats/compare.js';
import { type RepeatedFigure, summarizeRepetitions } from '../stats/confidence.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import type { Comparison, Estimate, Repetition, ScenarioResult } from './results-types.js';

/** Median and 95% interval of a figure over repetitions, with the method named. */
export function estimateOf(values: readonly number[]): Estimate {
  const figure = summarizeRepetitions(values);
  return {
    median: figure.median,
    low: figure.interval?.low ?? figure.median,
    high: figure.interval?.high ?? figure.median,
    method: figure.interval
      ? '95% Student-t interval of the mean over repetitions'
      : 'no interval: fewer than 2 repetitions',
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
  const saturated = reps.filter((rep) => rep.resources.driverSaturated).length;
  if (saturated > 0) {
    warnings.push(
      `driver saturated in ${saturated} of ${reps.length} repetitions (CPU > 90% of a core or event-loop p99 > 10 ms): the driver may have set the pace`,
    );
  }
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
  better: Better;
  pick: (r: Repetition) => number;
}> = [
  { figure: 'rps', better: 'higher', pick: (r) => r.rps },
  { figure: 'p50Us', better: 'lower', pick: (r) => r.latencyUs.p50 },
  { figure: 'p99Us', better: 'lower', pick: (r) => r.latencyUs.p99 },
];

function figureOf(values: readonly number[]): RepeatedFigure {
  return summarizeRepetitions(values);
}

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

/** a ÷ b for each headline figure, with a winner named only when the intervals separate. */
export function compareVariants(a: ScenarioResult, b: ScenarioResult): Comparison[] {
  return figures.map(({ figure, better, pick }) => {
    // compareFigures reports B ÷ A: pass b first so that the ratio reads a ÷ b.
    const result = compareFigures(
      figureOf(b.repetitions.map(pick)),
      figureOf(a.repetitions.map(pick)),
      better,
    );
    const verdict =
      result.verdict === 'no significant difference'
        ? result.verdict
        : `${result.verdict === 'B faster' ? a.variant : b.variant} ${figure === 'rps' ? 'faster' : 'lower'}`;
    return { scenario: a.scenario, a: a.variant, b: b.variant, figure, ratio: result.ratio, verdict };
  });
}
