import { fromLogMean, type LogInterval, meanOf, varianceOf } from './log-interval.js';

/**
 * current ÷ baseline of a figure measured in two separate runs (no pairing across runs), on the
 * log scale: the difference of the mean logs, with a standard error from each run's repetitions
 * plus `runSpread`, the run-to-run spread that repetitions inside one run cannot show (machine
 * state, neighbours, a new server process): two runs of the same commit differ by more than
 * either run's repetitions say. `runSpread` is the standard deviation of log(run₂ ÷ run₁) beyond
 * that within-run part, measured from A/A pairs of runs (estimateRunSpread).
 *
 * Degrees of freedom: Welch–Satterthwaite; the run-spread term counts as known (infinite df)
 * unless `spreadPairs` says from how many A/A pairs it was estimated (that many df): a spread
 * estimated per row from a handful of pairs is itself uncertain, and treating it as known would
 * let heavy t tails through a gate that corrects for dozens of rows.
 * Undefined below two repetitions on either side or with a figure that is not positive.
 */
export function runRatio(
  baseline: readonly number[],
  current: readonly number[],
  options: {
    readonly runSpread?: number;
    /** How many A/A pairs of runs the spread was estimated from; absent: known exactly. */
    readonly spreadPairs?: number;
    readonly level?: number;
  } = {},
): LogInterval | undefined {
  const parts = withinRunParts(baseline, current);
  if (!parts) return undefined;
  const spread = (options.runSpread ?? 0) ** 2;
  const variance = parts.baselineVariance + parts.currentVariance + spread;
  const spreadTerm = options.spreadPairs ? spread ** 2 / options.spreadPairs : 0;
  const degreesOfFreedom =
    variance === 0
      ? parts.n - 2
      : variance ** 2 /
        (parts.baselineVariance ** 2 / (baseline.length - 1) +
          parts.currentVariance ** 2 / (current.length - 1) +
          spreadTerm || Number.MIN_VALUE);
  return fromLogMean(
    parts.difference,
    Math.sqrt(variance),
    Math.max(1, Math.min(degreesOfFreedom, 1e6)),
    options.level ?? 0.95,
  );
}

function withinRunParts(baseline: readonly number[], current: readonly number[]) {
  const positive = (values: readonly number[]) => values.every((v) => v > 0 && Number.isFinite(v));
  if (baseline.length < 2 || current.length < 2 || !positive(baseline) || !positive(current))
    return undefined;
  const logB = baseline.map(Math.log);
  const logC = current.map(Math.log);
  return {
    n: logB.length + logC.length,
    difference: meanOf(logC) - meanOf(logB),
    baselineVariance: varianceOf(logB) / logB.length,
    currentVariance: varianceOf(logC) / logC.length,
  };
}

/**
 * The run-to-run spread from A/A pairs of runs (same commit, one after the other): the root of
 * mean(d² − w) over the pairs, where d is the difference of the two runs' mean logs and w its
 * variance as the runs' own repetitions estimate it; 0 when the repetitions explain it all.
 */
export function estimateRunSpread(
  pairs: ReadonlyArray<{ readonly baseline: readonly number[]; readonly current: readonly number[] }>,
): { readonly runSpread: number; readonly pairs: number } {
  const excess: number[] = [];
  for (const pair of pairs) {
    const parts = withinRunParts(pair.baseline, pair.current);
    if (parts) excess.push(parts.difference ** 2 - parts.baselineVariance - parts.currentVariance);
  }
  return {
    runSpread: excess.length === 0 ? 0 : Math.sqrt(Math.max(0, meanOf(excess))),
    pairs: excess.length,
  };
}
