/**
 * Results of N drivers that loaded the same servers at the same time (an Indexed Job, say),
 * merged into one results document as if one driver had made all their connections.
 *
 * Exact where it can be: counts and bytes are summed, latency histograms are HDR-merged
 * (so percentiles are those of every recorded sample together), throughputs are summed.
 * Repetition i of the merge is repetition i of every worker: the workers walk the suite in
 * the same order, so their i-th repetitions of a variant ran at about the same time. Where a
 * figure cannot be merged exactly it is bounded, and said so here:
 * - a timeline second's p99 is the largest of the workers' p99s for that second (an upper bound);
 * - driver CPU and event-loop delay are the busiest worker's (each worker is a process of its own);
 * - server CPU per request is the answered-weighted mean, peak memory the largest.
 * Each worker's own figures stay in `workers`.
 */
import { mergeCounts } from '../accounting/request-counts.js';
import type { ByteBreakdown, ByteParts } from '../drivers/byte-breakdown.js';
import type { TimelineBucket } from '../load/load-result.js';
import type { LoadModel } from '../scenarios/suite.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import type { Repetition, Results, ScenarioResult, WorkerSummary } from './results-types.js';
import { suiteComparisons, summarizeScenario } from './summarize-scenario.js';

export interface MergeInput {
  /** Where it was read from, for messages and the per-worker breakdown. */
  readonly source: string;
  readonly results: Results;
}

/** Shorter than this share of the longest run spent all together, and the merge warns. */
const minimumOverlap = 0.9;

const keyOf = (s: Pick<ScenarioResult, 'scenario' | 'variant'>) => `${s.scenario}/${s.variant}`;

/** What a scenario's figures depend on: every worker must have measured the same thing. */
function setupOf(s: ScenarioResult) {
  return JSON.stringify({
    rpc: s.rpc,
    payload: s.payload,
    family: s.family,
    driver: s.driver,
    engine: s.engine,
    loadModel: s.loadModel,
    connectionPolicy: s.connectionPolicy,
    warmupMs: s.warmupMs,
    durationMs: s.durationMs,
    repetitions: s.repetitions.map((r) => r.index),
  });
}

/** Every reason the inputs cannot be merged, all at once (empty when they can). */
export function mergeProblems(inputs: readonly MergeInput[]): string[] {
  if (inputs.length < 2) return [`merge needs at least 2 results, not ${inputs.length}`];
  const problems: string[] = [];
  const [first, ...rest] = inputs as [MergeInput, ...MergeInput[]];
  for (const input of inputs) {
    if (input.results.endReason !== 'completed')
      problems.push(`${input.source}: the run ended ${input.results.endReason}; merge only completed runs`);
    if (input.results.workers)
      problems.push(`${input.source}: already merged results; merge the workers' own results instead`);
  }
  const reference = new Map(first.results.scenarios.map((s) => [keyOf(s), s]));
  for (const input of rest) {
    if (input.results.suite.name !== first.results.suite.name)
      problems.push(
        `${input.source}: suite "${input.results.suite.name}", not "${first.results.suite.name}" as in ${first.source}`,
      );
    const own = new Map(input.results.scenarios.map((s) => [keyOf(s), s]));
    for (const key of reference.keys())
      if (!own.has(key)) problems.push(`${input.source}: has no ${key} (${first.source} has)`);
    for (const [key, scenario] of own) {
      const expected = reference.get(key);
      if (!expected) problems.push(`${input.source}: has ${key}, which ${first.source} has not`);
      else if (setupOf(scenario) !== setupOf(expected))
        problems.push(
          `${input.source}: ${key} was measured differently from ${first.source} (rpc, payload, driver, engine, load, connections, durations or repetitions differ)`,
        );
    }
  }
  return problems;
}

/** The merged document; call mergeProblems first (this assumes it found nothing). */
export function mergeResults(inputs: readonly MergeInput[]): Results {
  const [first] = inputs as [MergeInput, ...MergeInput[]];
  const scenarios = first.results.scenarios.map((template) => {
    const parts = inputs.map(
      (input) => input.results.scenarios.find((s) => keyOf(s) === keyOf(template)) as ScenarioResult,
    );
    return mergeScenario(template, parts);
  });
  const starts = inputs.map((input) => Date.parse(input.results.startedAt));
  const ends = inputs.map((input) => Date.parse(input.results.finishedAt));
  // The same warning from every worker is said once, with the workers that gave it.
  const sourcesByWarning = new Map<string, string[]>();
  for (const input of inputs)
    for (const warning of input.results.warnings)
      sourcesByWarning.set(warning, [...(sourcesByWarning.get(warning) ?? []), input.source]);
  const warnings = [...sourcesByWarning].map(([warning, sources]) =>
    sources.length === inputs.length ? `every worker: ${warning}` : `${sources.join(', ')}: ${warning}`,
  );
  const together = Math.min(...ends) - Math.max(...starts);
  const longest = Math.max(...inputs.map((_, i) => ends[i]! - starts[i]!));
  if (longest > 0 && together < minimumOverlap * longest) {
    warnings.unshift(
      `the ${inputs.length} workers ran together for ${Math.max(0, (100 * together) / longest).toFixed(0)}% of the longest run only: summed throughputs describe the servers' load only while the workers overlapped`,
    );
  }
  return {
    ...first.results,
    startedAt: new Date(Math.min(...starts)).toISOString(),
    finishedAt: new Date(Math.max(...ends)).toISOString(),
    endReason: 'completed',
    scenarios,
    comparisons: suiteComparisons(scenarios),
    warnings,
    workers: inputs.map(workerSummary),
  };
}

function mergeScenario(template: ScenarioResult, parts: readonly ScenarioResult[]): ScenarioResult {
  const repetitions = template.repetitions.map((rep) =>
    mergeRepetition(parts.map((part) => part.repetitions.find((r) => r.index === rep.index) as Repetition)),
  );
  const connections = parts.reduce((sum, part) => sum + part.connectionPolicy.connections, 0);
  // Every driver ran the scenario at the same size, network and tuning: the template's stand for all.
  const { network, tuning, size, sizeOf } = template;
  const summary = summarizeScenario(
    {
      name: template.scenario,
      rpc: template.rpc,
      payload: template.payload,
      family: template.family,
      tls: template.tls ?? false,
      workers: template.workers ?? 1,
      ...(template.scalingOf === undefined ? {} : { scalingOf: template.scalingOf }),
      load: mergedLoad(parts.map((part) => part.loadModel)),
      // The servers saw every worker's connections.
      connections,
      warmupMs: template.warmupMs,
      durationMs: template.durationMs,
    },
    {
      variant: template.variant,
      driver: template.driver,
      engine: template.engine,
      inFlightPerConnection: template.connectionPolicy.inFlightPerConnection,
      repetitions,
    },
  );
  return {
    ...summary,
    ...(size === undefined ? {} : { size, sizeOf: sizeOf ?? template.scenario }),
    ...(network ? { network } : {}),
    ...(tuning ? { tuning } : {}),
  };
}

function mergedLoad(models: readonly LoadModel[]): LoadModel {
  const [first] = models as [LoadModel, ...LoadModel[]];
  if (first.model === 'closed') return first;
  const rate = models.reduce((sum, m) => sum + (m.model === 'open' ? m.rate : 0), 0);
  return { ...first, rate };
}

function mergeHistograms(encoded: readonly string[]): LatencyHistogram {
  const merged = LatencyHistogram.create();
  for (const text of encoded) merged.add(LatencyHistogram.decode(text));
  return merged;
}

/** Repetition i of every worker, as one repetition. */
export function mergeRepetition(reps: readonly Repetition[]): Repetition {
  const [first] = reps as [Repetition, ...Repetition[]];
  const sum = (pick: (r: Repetition) => number) => reps.reduce((total, r) => total + pick(r), 0);
  const max = (pick: (r: Repetition) => number) => Math.max(...reps.map(pick));
  const latency = mergeHistograms(reps.map((r) => r.histogram));
  const uncorrected = reps.every((r) => r.histogramUncorrected !== undefined)
    ? mergeHistograms(reps.map((r) => r.histogramUncorrected!))
    : undefined;
  const breakdowns = reps.map((r) => r.bytes.breakdown);
  const answered = sum((r) => r.counts.ok + r.counts.failed);
  const streaming = reps.every((r) => r.streaming !== undefined)
    ? mergeStreaming(
        reps.map((r) => r.streaming!),
        latency,
      )
    : undefined;
  return {
    index: first.index,
    orderPosition: first.orderPosition,
    counts: mergeCounts(reps.map((r) => r.counts)),
    rps: sum((r) => r.rps),
    durationMs: max((r) => r.durationMs),
    latencyUs: latency.percentiles(),
    histogram: latency.encode(),
    ...(uncorrected
      ? { latencyUsUncorrected: uncorrected.percentiles(), histogramUncorrected: uncorrected.encode() }
      : {}),
    timeline: mergeTimelines(reps.map((r) => r.timeline)),
    bytes: {
      written: sum((r) => r.bytes.written),
      read: sum((r) => r.bytes.read),
      ...(breakdowns.every((b) => b !== undefined) ? { breakdown: sumBreakdowns(breakdowns) } : {}),
    },
    resources: {
      serverCpuUsPerRequest:
        answered > 0
          ? sum((r) => r.resources.serverCpuUsPerRequest * (r.counts.ok + r.counts.failed)) / answered
          : 0,
      serverPeakRssBytes: max((r) => r.resources.serverPeakRssBytes),
      driverCpu: max((r) => r.resources.driverCpu),
      driverEventLoopP99Ms: max((r) => r.resources.driverEventLoopP99Ms),
      driverSaturated: reps.some((r) => r.resources.driverSaturated),
    },
    ...(streaming ? { streaming } : {}),
  };
}

/** `timeToFirstPartial`: a streaming repetition's histogram is that latency (bench/run/streaming-repetition.ts). */
function mergeStreaming(
  parts: readonly NonNullable<Repetition['streaming']>[],
  timeToFirstPartial: LatencyHistogram,
) {
  const [first] = parts as [NonNullable<Repetition['streaming']>, ...NonNullable<Repetition['streaming']>[]];
  const messageLatency = mergeHistograms(parts.map((p) => p.messageLatencyHistogram));
  const sum = (pick: (p: (typeof parts)[number]) => number) => parts.reduce((t, p) => t + pick(p), 0);
  return {
    ...first,
    chunks: mergeCounts(parts.map((p) => p.chunks)),
    responses: {
      received: sum((p) => p.responses.received),
      partials: sum((p) => p.responses.partials),
      finals: sum((p) => p.responses.finals),
    },
    timeToFirstPartialUs: timeToFirstPartial.percentiles(),
    messageLatencyUs: messageLatency.percentiles(),
    messageLatencyHistogram: messageLatency.encode(),
    messagesPerSecond: {
      sent: sum((p) => p.messagesPerSecond.sent),
      received: sum((p) => p.messagesPerSecond.received),
    },
  };
}

function mergeTimelines(timelines: readonly (readonly TimelineBucket[])[]): TimelineBucket[] {
  const bySecond = new Map<number, TimelineBucket>();
  for (const bucket of timelines.flat()) {
    const seen = bySecond.get(bucket.second);
    bySecond.set(
      bucket.second,
      seen
        ? {
            second: bucket.second,
            completed: seen.completed + bucket.completed,
            failed: seen.failed + bucket.failed,
            p99Us: Math.max(seen.p99Us, bucket.p99Us),
          }
        : bucket,
    );
  }
  return [...bySecond.values()].sort((a, b) => a.second - b.second);
}

function sumBreakdowns(breakdowns: readonly (ByteBreakdown | undefined)[]): ByteBreakdown {
  const add = (a: ByteParts, b: ByteParts): ByteParts => ({
    body: a.body + b.body,
    framing: a.framing + b.framing,
    headers: a.headers + b.headers,
    control: a.control + b.control,
  });
  const zero: ByteParts = { body: 0, framing: 0, headers: 0, control: 0 };
  return breakdowns.reduce<ByteBreakdown>(
    (total, b) => (b ? { written: add(total.written, b.written), read: add(total.read, b.read) } : total),
    { written: zero, read: zero },
  );
}

function workerSummary(input: MergeInput): WorkerSummary {
  const { results } = input;
  return {
    source: input.source,
    startedAt: results.startedAt,
    finishedAt: results.finishedAt,
    endReason: results.endReason,
    environment: results.environment,
    scenarios: results.scenarios.map((s) => ({
      scenario: s.scenario,
      variant: s.variant,
      counts: s.counts,
      rpsByRepetition: s.repetitions.map((r) => r.rps),
      latencyUs: s.latencyUs,
    })),
    warnings: results.warnings,
  };
}
