import type { DriverConnection } from '../drivers/driver.js';
import type { OpenLoopResult } from './open-loop-result.js';
import { type OpenLoopSeriesOptions, openLoopSeries } from './rate-sweep.js';
import { type Slo, sloPercentileUs } from './slo.js';

export interface SloVerdict {
  readonly passed: boolean;
  /** The SLO's corrected percentile at this rate, in µs. */
  readonly percentileUs: number;
  /** (failed + timedOut + cancelled + notSent) / sent. */
  readonly errorRatio: number;
  /** Why it failed, in words; empty when it passed. */
  readonly reasons: readonly string[];
}

/** A rate whose unsuccessful requests exceed this share does not hold the SLO, whatever its latency. */
export const maxErrorRatio = 0.01;

/**
 * Failed, timed-out and never-sent requests have no latency in the histogram, so an SLO on the
 * percentile alone would pass a rate that drops its slow requests; `cancelled` ones were still
 * unanswered after the grace period, slower than any bound worth testing.
 */
export function judgeProbe(slo: Slo, result: OpenLoopResult): SloVerdict {
  const { counts } = result;
  const unsuccessful = counts.failed + counts.timedOut + counts.cancelled + counts.notSent;
  const errorRatio = counts.sent > 0 ? unsuccessful / counts.sent : 1;
  const percentileUs = sloPercentileUs(slo, result.latency.percentiles());
  const reasons: string[] = [];
  if (counts.ok === 0) reasons.push('no request succeeded');
  if (!(percentileUs < slo.boundUs)) reasons.push(`${slo.percentile} ${percentileUs} µs ≥ ${slo.boundUs} µs`);
  if (errorRatio > maxErrorRatio) reasons.push(`${(errorRatio * 100).toFixed(2)}% unsuccessful > 1%`);
  return { passed: reasons.length === 0, percentileUs, errorRatio, reasons };
}

export interface SloProbe extends SloVerdict {
  readonly rate: number;
  readonly result: OpenLoopResult;
}

export type SloSearchEnd =
  /** The bracket around the highest passing rate is as narrow as asked. */
  | 'converged'
  /** Even the lowest rate allowed failed. */
  | 'nothing-passes'
  /** Every rate up to the highest allowed passed. */
  | 'max-rate'
  | 'max-probes'
  | 'max-time'
  | 'interrupted';

export interface SloSearchResult {
  readonly slo: Slo;
  /** The highest rate that held, undefined if none did. */
  readonly bestRate: number | undefined;
  /** The lowest rate that failed above it, undefined if none did. */
  readonly firstFailingRate: number | undefined;
  /** Every probe, in the order run. */
  readonly probes: readonly SloProbe[];
  readonly endReason: SloSearchEnd;
}

export interface SloSearchOptions {
  /** The first rate probed, in requests per second. */
  readonly startRate: number;
  /** Growth factor of the first phase (default 2). */
  readonly growth?: number;
  /** Default 1 req/s and 1,000,000 req/s. */
  readonly minRate?: number;
  readonly maxRate?: number;
  /** Bisection stops when the bracket is narrower than this share of its top (default 0.05). */
  readonly resolution?: number;
  readonly maxProbes: number;
  /** No probe starts unless the longest one so far would still end within this budget. */
  readonly maxTotalMs: number;
  readonly signal?: AbortSignal;
  /** Milliseconds; injectable so that the time budget can be tested exactly. */
  readonly clock?: () => number;
}

/**
 * Finds the highest rate that holds the SLO: the rate grows geometrically from `startRate` until
 * a probe fails, then the bracket between the last pass and the first failure is bisected.
 * It assumes that a rate above a failing one fails too; noisy probes near the limit can break
 * that, which is why every probe is reported. Rates are whole requests per second.
 */
export async function searchSloRate(
  slo: Slo,
  probe: (rate: number) => Promise<OpenLoopResult>,
  options: SloSearchOptions,
): Promise<SloSearchResult> {
  const growth = options.growth ?? 2;
  const minRate = options.minRate ?? 1;
  const maxRate = options.maxRate ?? 1_000_000;
  const resolution = options.resolution ?? 0.05;
  const clock = options.clock ?? (() => performance.now());
  if (!(growth > 1)) throw new RangeError(`growth must be above 1, got ${growth}`);
  if (!(minRate >= 1 && minRate <= options.startRate && options.startRate <= maxRate)) {
    throw new RangeError(
      `need 1 ≤ minRate ≤ startRate ≤ maxRate, got ${minRate}, ${options.startRate}, ${maxRate}`,
    );
  }
  if (!(Number.isInteger(options.maxProbes) && options.maxProbes >= 1)) {
    throw new RangeError(`maxProbes must be a positive integer, got ${options.maxProbes}`);
  }

  const started = clock();
  let longestProbeMs = 0;
  const probes: SloProbe[] = [];
  let pass: number | undefined;
  let fail: number | undefined;

  const done = (endReason: SloSearchEnd): SloSearchResult => ({
    slo,
    bestRate: pass,
    firstFailingRate: fail,
    probes,
    endReason,
  });

  let rate = Math.round(options.startRate);
  for (;;) {
    if (options.signal?.aborted) return done('interrupted');
    if (probes.length >= options.maxProbes) return done('max-probes');
    if (clock() - started + longestProbeMs > options.maxTotalMs) return done('max-time');

    const probeStarted = clock();
    const result = await probe(rate);
    longestProbeMs = Math.max(longestProbeMs, clock() - probeStarted);
    // A probe cut short by the signal says nothing about the rate.
    if (result.interrupted) return done('interrupted');
    const verdict = judgeProbe(slo, result);
    probes.push({ rate, result, ...verdict });
    if (verdict.passed) pass = rate;
    else fail = rate;

    if (fail === undefined) {
      if (rate >= maxRate) return done('max-rate');
      rate = Math.min(maxRate, Math.max(rate + 1, Math.round(rate * growth)));
      continue;
    }
    const low = pass ?? 0;
    if (pass === undefined && fail <= minRate) return done('nothing-passes');
    if (fail - low <= Math.max(1, resolution * fail)) return done('converged');
    rate = Math.max(minRate, Math.round((low + fail) / 2));
  }
}

/** The SLO search with one open-loop run per probe over the given connections. */
export function runSloSearch(
  connections: readonly DriverConnection[],
  slo: Slo,
  options: SloSearchOptions & { readonly probe: Omit<OpenLoopSeriesOptions, 'signal'> },
): Promise<SloSearchResult> {
  return searchSloRate(
    slo,
    openLoopSeries(connections, { ...options.probe, signal: options.signal }),
    options,
  );
}
