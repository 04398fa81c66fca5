import { fromLogMean, type LogInterval, meanOf, varianceOf } from './log-interval.js';

/**
 * How a figure moved between two separate runs (no pairing across runs), on the log scale: the
 * difference of the mean logs, current − baseline, and the variance terms the runs' own
 * repetitions give it, each with its degrees of freedom (for Welch–Satterthwaite).
 */
export interface LogChange {
  readonly difference: number;
  readonly terms: readonly { readonly variance: number; readonly degreesOfFreedom: number }[];
}

/** Undefined below two repetitions on either side or with a figure that is not positive. */
export function logChange(baseline: readonly number[], current: readonly number[]): LogChange | undefined {
  const positive = (values: readonly number[]) => values.every((v) => v > 0 && Number.isFinite(v));
  if (baseline.length < 2 || current.length < 2 || !positive(baseline) || !positive(current))
    return undefined;
  const logB = baseline.map(Math.log);
  const logC = current.map(Math.log);
  return {
    difference: meanOf(logC) - meanOf(logB),
    terms: [
      { variance: varianceOf(logB) / logB.length, degreesOfFreedom: logB.length - 1 },
      { variance: varianceOf(logC) / logC.length, degreesOfFreedom: logC.length - 1 },
    ],
  };
}

/**
 * What moved for one variant alone: its change less the mean change of the other variants of its
 * scenario in the same two runs. A slower machine, a busier neighbour or a new kernel moves every
 * variant of a run and cancels here; a change to one protocol's stack does not. The others' terms
 * enter divided by k² (the mean of k independent changes).
 */
export function relativeChange(own: LogChange, others: readonly LogChange[]): LogChange {
  const k = others.length;
  return {
    difference: own.difference - meanOf(others.map((other) => other.difference)),
    terms: [
      ...own.terms,
      ...others.flatMap((other) =>
        other.terms.map((term) => ({ ...term, variance: term.variance / (k * k) })),
      ),
    ],
  };
}

const withinRunVariance = (change: LogChange) => change.terms.reduce((sum, term) => sum + term.variance, 0);

/**
 * The interval of current ÷ baseline: the change with a standard error from the runs' repetitions
 * plus `runSpread`, the run-to-run spread that repetitions inside one run cannot show (machine
 * state, neighbours, a new server process): two runs of the same commit differ by more than
 * either run's repetitions say. `runSpread` is the standard deviation of the change beyond that
 * within-run part, measured from A/A pairs of runs (estimateRunSpread).
 *
 * Degrees of freedom: Welch–Satterthwaite; the run-spread term counts as known (infinite df)
 * unless `spreadPairs` says from how many A/A pairs it was estimated (that many df): a spread
 * estimated per row from a handful of pairs is itself uncertain, and treating it as known would
 * let heavy t tails through a gate that corrects for dozens of rows.
 */
export function changeInterval(
  change: LogChange,
  options: {
    readonly runSpread?: number;
    /** How many A/A pairs of runs the spread was estimated from; absent: known exactly. */
    readonly spreadPairs?: number;
    readonly level?: number;
  } = {},
): LogInterval {
  const spread = (options.runSpread ?? 0) ** 2;
  const variance = withinRunVariance(change) + spread;
  const spreadTerm = options.spreadPairs ? spread ** 2 / options.spreadPairs : 0;
  const termsPart = change.terms.reduce(
    (sum, term) => sum + term.variance ** 2 / Math.max(1, term.degreesOfFreedom),
    0,
  );
  const degreesOfFreedom =
    variance === 0
      ? change.terms.reduce((sum, term) => sum + term.degreesOfFreedom, 0)
      : variance ** 2 / (termsPart + spreadTerm || Number.MIN_VALUE);
  return fromLogMean(
    change.difference,
    Math.sqrt(variance),
    Math.max(1, Math.min(degreesOfFreedom, 1e6)),
    options.level ?? 0.95,
  );
}

/** current ÷ baseline of a figure measured in two separate runs (changeInterval of logChange). */
export function runRatio(
  baseline: readonly number[],
  current: readonly number[],
  options: Parameters<typeof changeInterval>[1] = {},
): LogInterval | undefined {
  const change = logChange(baseline, current);
  return change && changeInterval(change, options);
}

/**
 * The run-to-run spread from A/A pairs of runs (same commit, one after the other): the root of
 * mean(d² − w) over the pairs, where d is a pair's change and w its variance as the runs' own
 * repetitions estimate it; 0 when the repetitions explain it all.
 */
export function estimateRunSpread(changes: ReadonlyArray<LogChange | undefined>): {
  readonly runSpread: number;
  readonly pairs: number;
} {
  const excess = changes.flatMap((change) =>
    change ? [change.difference ** 2 - withinRunVariance(change)] : [],
  );
  return {
    runSpread: excess.length === 0 ? 0 : Math.sqrt(Math.max(0, meanOf(excess))),
    pairs: excess.length,
  };
}
