/**
 * What every report shows, derived once from a results document: per scenario, each variant's
 * headline figures with their confidence intervals, ratios to the reference variant and verdicts,
 * plus the warnings a reader must see before trusting any of it. The renderers only lay it out.
 */
import type { Estimate, Results, ScenarioResult } from '../bench/results/results-types.js';
import { saturationWarning } from '../bench/results/saturation-warning.js';
import { estimateOf, sameServer } from '../bench/results/summarize-scenario.js';
import type { IntervalMethod } from '../bench/stats/confidence.js';
import { defaultProcessSpread } from '../bench/stats/process-spread.js';
import { comparePaired } from '../bench/stats/verdict.js';
import { formatCount, formatNumber, formatPercent } from './format.js';

export type FigureKey = 'rps' | 'p50' | 'p99' | 'p999' | 'requestBytes' | 'responseBytes' | 'cpu';

export interface FigureDefinition {
  readonly key: FigureKey;
  /** Short column label. */
  readonly label: string;
  readonly better: 'higher' | 'lower';
  readonly kind: 'rate' | 'latency' | 'bytes' | 'cpu';
}

export const figureDefinitions: readonly FigureDefinition[] = [
  { key: 'rps', label: 'throughput', better: 'higher', kind: 'rate' },
  { key: 'p50', label: 'p50', better: 'lower', kind: 'latency' },
  { key: 'p99', label: 'p99', better: 'lower', kind: 'latency' },
  { key: 'p999', label: 'p99.9', better: 'lower', kind: 'latency' },
  { key: 'requestBytes', label: 'request size', better: 'lower', kind: 'bytes' },
  { key: 'responseBytes', label: 'response size', better: 'lower', kind: 'bytes' },
  { key: 'cpu', label: 'server CPU', better: 'lower', kind: 'cpu' },
];

/** One figure of one variant: the median over repetitions and its 95% interval. */
export interface FigureCell {
  readonly median: number;
  /** Undefined when there were too few repetitions for an interval. */
  readonly interval: { readonly low: number; readonly high: number } | undefined;
  readonly method: string;
  /** One value per repetition. */
  readonly values: readonly number[];
  /** This variant's median ÷ the reference variant's; undefined on the reference row. */
  readonly ratio: number | undefined;
  /**
   * Against the reference, over pairs of repetitions (bench/stats/verdict.ts): better or worse when
   * the paired ratio's interval excludes 1, equivalent when it lies within the margin, else undecided.
   */
  readonly verdict: CellVerdict | undefined;
}

export type CellVerdict = 'better' | 'worse' | 'equivalent' | 'undecided';

export interface VariantRow {
  readonly variant: string;
  readonly isReference: boolean;
  readonly result: ScenarioResult;
  readonly figures: Readonly<Record<FigureKey, FigureCell>>;
  /** Open loop: the p99 measured from the actual send, which hides queueing (coordinated omission). */
  readonly p99Uncorrected: FigureCell | undefined;
  readonly errors: {
    readonly count: number;
    readonly rate: number;
    readonly byCode: Readonly<Record<string, number>>;
  };
  readonly verdict: string;
}

export interface ScenarioView {
  readonly name: string;
  readonly reference: string;
  readonly open: boolean;
  readonly rows: readonly VariantRow[];
}

export interface ReportWarning {
  readonly severity: 'error' | 'warning';
  /** "run", or "scenario/variant". */
  readonly where: string;
  readonly message: string;
}

export interface ReportModel {
  readonly results: Results;
  readonly scenarios: readonly ScenarioView[];
  /** Found by the report in the data. */
  readonly warnings: readonly ReportWarning[];
  /** Written by the run itself, verbatim. */
  readonly recordedWarnings: readonly ReportWarning[];
}

/** The variant every other one is compared with: REST over HTTP/1.1 with JSON when present. */
export const preferredReference = 'rest-json-h1';

export function referenceVariant(variants: readonly string[]): string {
  return variants.includes(preferredReference) ? preferredReference : (variants[0] ?? preferredReference);
}

/** Scenario names in the order they first appear. */
export function scenarioNames(results: Results): string[] {
  return [...new Set(results.scenarios.map((s) => s.scenario))];
}

/** Requests that went on the wire: the ones the load model sent, less those it never could. */
export function requestsOnWire(counts: { readonly sent: number; readonly notSent: number }): number {
  return counts.sent - counts.notSent;
}

/**
 * What an estimate's interval is, from its free-text `method` ("95% Student-t interval of the
 * mean over repetitions", "bootstrap-percentile-median", "no interval: …"): undefined when it has none.
 */
export function intervalMethodOf(method: string, repetitions: number): IntervalMethod | undefined {
  const text = method.toLowerCase();
  if (repetitions < 2 || text === 'none' || text.startsWith('no interval')) return undefined;
  return text.includes('bootstrap') ? 'bootstrap-percentile-median' : 'student-t-mean';
}

function cellFromEstimate(
  estimate: Estimate,
  values: readonly number[],
): Omit<FigureCell, 'ratio' | 'verdict'> {
  const method = intervalMethodOf(estimate.method, values.length);
  return {
    median: estimate.median,
    interval: method ? { low: Math.max(0, estimate.low), high: estimate.high } : undefined,
    method: method ?? 'none',
    values,
  };
}

function cellFromValues(values: readonly number[]): Omit<FigureCell, 'ratio' | 'verdict'> {
  if (values.length === 0) return { median: Number.NaN, interval: undefined, method: 'none', values };
  return cellFromEstimate(estimateOf(values), values);
}

type BareCells = Record<FigureKey, Omit<FigureCell, 'ratio' | 'verdict'>>;

/** Bytes written or read on the wire per call, one value per repetition that sent any. */
export function perCall(result: ScenarioResult, side: 'written' | 'read'): number[] {
  return result.repetitions
    .filter((r) => requestsOnWire(r.counts) > 0)
    .map((r) => r.bytes[side] / requestsOnWire(r.counts));
}

function bareCells(result: ScenarioResult): BareCells {
  const reps = result.repetitions;
  return {
    rps: cellFromEstimate(
      result.estimates.rps,
      reps.map((r) => r.rps),
    ),
    p50: cellFromEstimate(
      result.estimates.p50Us,
      reps.map((r) => r.latencyUs.p50),
    ),
    p99: cellFromEstimate(
      result.estimates.p99Us,
      reps.map((r) => r.latencyUs.p99),
    ),
    p999: cellFromValues(reps.map((r) => r.latencyUs.p999)),
    requestBytes: cellFromValues(perCall(result, 'written')),
    responseBytes: cellFromValues(perCall(result, 'read')),
    cpu: cellFromEstimate(
      result.estimates.serverCpuUsPerRequest,
      reps.map((r) => r.resources.serverCpuUsPerRequest),
    ),
  };
}

/**
 * What two server processes add beyond the pairs (bench/stats/process-spread.ts): to rates,
 * latencies and server CPU, not to bytes, which a process does not choose.
 */
function processSpreadOf(
  kind: FigureDefinition['kind'],
  servers: { readonly a: string; readonly b: string },
) {
  if (kind === 'bytes' || sameServer(servers.a, servers.b)) return 0;
  return kind === 'latency' ? defaultProcessSpread.p50Us : defaultProcessSpread.rps;
}

/** This variant against the reference, pair by pair (values are in repetition order). */
export function judge(
  cell: Omit<FigureCell, 'ratio' | 'verdict'>,
  reference: Omit<FigureCell, 'ratio' | 'verdict'>,
  definition: Pick<FigureDefinition, 'better' | 'kind'>,
  servers: { readonly a: string; readonly b: string },
): CellVerdict {
  const { verdict } = comparePaired(cell.values, reference.values, {
    better: definition.better,
    a: 'this',
    b: 'reference',
    processSpread: processSpreadOf(definition.kind, servers),
  });
  if (verdict.kind === 'faster') return verdict.winner === 'a' ? 'better' : 'worse';
  return verdict.kind;
}

function verdictText(variant: string, reference: string, figures: Record<FigureKey, FigureCell>): string {
  const labels = (verdict: CellVerdict) =>
    figureDefinitions.filter((d) => figures[d.key].verdict === verdict).map((d) => d.label);
  const parts: string[] = [];
  const wins = labels('better');
  const losses = labels('worse');
  const same = labels('equivalent');
  const undecided = labels('undecided');
  if (wins.length > 0) parts.push(`${variant} better: ${wins.join(', ')}`);
  if (losses.length > 0) parts.push(`${reference} better: ${losses.join(', ')}`);
  if (same.length > 0) parts.push(`equivalent: ${same.join(', ')}`);
  if (undecided.length > 0) parts.push(`undecided: ${undecided.join(', ')}`);
  return parts.join('; ');
}

function buildScenario(name: string, results: readonly ScenarioResult[]): ScenarioView {
  const reference = referenceVariant(results.map((r) => r.variant));
  const cells = new Map(results.map((r) => [r.variant as string, bareCells(r)]));
  const referenceCells = cells.get(reference);
  const rows = results.map((result): VariantRow => {
    const bare = cells.get(result.variant)!;
    const isReference = result.variant === reference;
    const figures = Object.fromEntries(
      figureDefinitions.map((definition) => {
        const cell = bare[definition.key];
        const base = referenceCells?.[definition.key];
        const full: FigureCell = {
          ...cell,
          ratio: isReference || !base ? undefined : cell.median / base.median,
          verdict:
            isReference || !base
              ? undefined
              : judge(cell, base, definition, { a: result.variant, b: reference }),
        };
        return [definition.key, full];
      }),
    ) as Record<FigureKey, FigureCell>;
    const uncorrected = result.repetitions
      .map((r) => r.latencyUsUncorrected?.p99)
      .filter((v): v is number => v !== undefined);
    const failed = result.counts.failed + result.counts.timedOut;
    return {
      variant: result.variant,
      isReference,
      result,
      figures,
      p99Uncorrected:
        uncorrected.length > 0
          ? { ...cellFromValues(uncorrected), ratio: undefined, verdict: undefined }
          : undefined,
      errors: {
        count: failed,
        rate: result.counts.sent > 0 ? failed / result.counts.sent : 0,
        byCode:
          result.counts.timedOut > 0
            ? { ...result.counts.failedByCode, 'timed out': result.counts.timedOut }
            : result.counts.failedByCode,
      },
      verdict: isReference ? 'reference' : verdictText(result.variant, reference, figures),
    };
  });
  return { name, reference, open: results.some((r) => r.loadModel.model === 'open'), rows };
}

function describeCodes(byCode: Readonly<Record<string, number>>): string {
  return Object.entries(byCode)
    .map(([code, n]) => `${code} ${formatCount(n)}`)
    .join(', ');
}

function findWarnings(results: Results): ReportWarning[] {
  const warnings: ReportWarning[] = [];
  if (results.endReason !== 'completed') {
    warnings.push({
      severity: 'error',
      where: 'run',
      message:
        results.endReason === 'running'
          ? `A checkpoint of a run that never finished (killed, or still going) at ${results.finishedAt}: the results are partial.`
          : `The run did not complete (end reason: ${results.endReason}): the results are partial.`,
    });
  }
  const planned = Math.max(0, ...results.scenarios.map((s) => s.repetitions.length));
  for (const result of results.scenarios) {
    const where = `${result.scenario}/${result.variant}`;
    const reps = result.repetitions;
    if (reps.length < planned) {
      warnings.push({
        severity: 'error',
        where,
        message: `Partial: ${reps.length} of ${planned} repetitions.`,
      });
    }
    if (reps.length < 2) {
      warnings.push({
        severity: 'warning',
        where,
        message: `No confidence interval with ${reps.length} repetition${reps.length === 1 ? '' : 's'}: no winner can be named.`,
      });
    }
    const saturated = saturationWarning(reps);
    if (saturated) {
      warnings.push({
        severity: 'warning',
        where,
        message: `${saturated[0]!.toUpperCase()}${saturated.slice(1)}.`,
      });
    }
    const failed = result.counts.failed + result.counts.timedOut;
    if (failed > 0) {
      const byCode = describeCodes(
        result.counts.timedOut > 0
          ? { ...result.counts.failedByCode, 'timed out': result.counts.timedOut }
          : result.counts.failedByCode,
      );
      warnings.push({
        severity: 'warning',
        where,
        message: `${formatCount(failed)} of ${formatCount(result.counts.sent)} requests (${formatPercent(failed / Math.max(1, result.counts.sent))}) failed or timed out: ${byCode}.`,
      });
    }
    if (result.counts.notSent > 0) {
      warnings.push({
        severity: 'warning',
        where,
        message: `${formatCount(result.counts.notSent)} scheduled requests were never sent (no free connection in time): the offered load was lower than planned.`,
      });
    }
  }
  for (const name of scenarioNames(results)) {
    const policies = new Set(
      results.scenarios
        .filter((s) => s.scenario === name)
        .map((s) => `${s.connectionPolicy.connections}×${s.connectionPolicy.inFlightPerConnection}`),
    );
    if (policies.size > 1) {
      warnings.push({
        severity: 'warning',
        where: name,
        message: `The variants ran with different connection policies (${[...policies].join(', ')}): the comparison is not like for like.`,
      });
    }
  }
  if (results.environment.gitDirty) {
    warnings.push({
      severity: 'warning',
      where: 'run',
      message:
        'Measured from a working tree with uncommitted changes: the commit alone does not reproduce it.',
    });
  }
  return warnings;
}

function isSaturationWarning(message: string): boolean {
  return message.startsWith('driver saturated') || message.startsWith('driver CPU up to');
}

export function buildReportModel(results: Results): ReportModel {
  const scenarios = scenarioNames(results).map((name) =>
    buildScenario(
      name,
      results.scenarios.filter((s) => s.scenario === name),
    ),
  );
  const recordedWarnings: ReportWarning[] = [
    ...results.warnings.map((message) => ({ severity: 'warning' as const, where: 'run', message })),
    // The driver's saturation is found again from the repetitions above: stated once, not twice.
    ...results.scenarios.flatMap((s) =>
      s.warnings
        .filter((message) => !isSaturationWarning(message))
        .map((message) => ({
          severity: 'warning' as const,
          where: `${s.scenario}/${s.variant}`,
          message,
        })),
    ),
  ];
  return { results, scenarios, warnings: findWarnings(results), recordedWarnings };
}

/** The distinct variant names of a results document, in order of first appearance. */
export function variantNames(results: Results): string[] {
  return [...new Set(results.scenarios.map((s) => s.variant as string))];
}

/** The engines each scenario ran on, e.g. "embedding" or "sphinx / reference" when variants differ. */
export function engineOf(results: Results, scenario: string): string {
  return [...new Set(results.scenarios.filter((s) => s.scenario === scenario).map((s) => s.engine))].join(
    ' / ',
  );
}

/** "closed loop" or "open loop at 800 req/s (max late 1000 ms)". */
export function describeLoad(result: ScenarioResult): string {
  const load = result.loadModel;
  const streaming = result.repetitions[0]?.streaming;
  if (streaming) {
    return `${result.repetitions[0]!.counts.sent} streams per repetition of ${formatNumber(streaming.audioSeconds)} s of audio in ${formatCount(streaming.chunkMs)} ms chunks, sent ${streaming.pace === 'realtime' ? 'at real-time pace' : 'as fast as possible'}; here throughput counts streams per second and latency is the time to the first partial result (per-message latency in results.json)`;
  }
  return load.model === 'open'
    ? `open loop at ${formatNumber(load.rate)} req/s (a request more than ${formatCount(load.maxLateMs)} ms late is not sent)`
    : 'closed loop';
}
