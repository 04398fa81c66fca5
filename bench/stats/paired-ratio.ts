import { fromLogMean, type LogInterval, meanOf, varianceOf } from './log-interval.js';

export interface PairedInterval extends LogInterval {
  readonly pairs: number;
  /** The variance of one pair's log-ratio (its spread plus its counts' rounding): what more pairs divide. */
  readonly pairVariance: number;
  /** The variance no number of pairs divides: the process spread, squared. */
  readonly sharedVariance: number;
}

/**
 * The ratio a ÷ b of a figure measured in pairs: a[i] and b[i] ran next to each other (the same
 * round of an interleaved schedule), so a drift of the machine moves both and cancels in their
 * ratio. The interval is Student-t on the log-ratios: exp(mean(log aᵢ/bᵢ) ± t·s/√n).
 *
 * Why t on logs rather than a bootstrap: with the 6–12 pairs a run affords, a percentile
 * bootstrap of the mean covers less than its nominal level (it knows no small-sample
 * correction); the seeded simulation in paired-ratio.test.ts measures both.
 *
 * `processSpread` is what pairs cannot show: two server processes of the same kind can differ
 * for as long as they live (where the kernel placed them, what the JIT chose), a difference every
 * pair of a run shares. It is the standard deviation of log(a ÷ b) between A/A processes beyond
 * the pairs' own spread, measured by `npm run bench:verdicts`, and is added to the standard error
 * (degrees of freedom by Welch–Satterthwaite, the added term counting as known).
 *
 * `counts` are the answers behind each figure, for a rate (answers ÷ window): a count is known
 * only to ±½ an answer, so a figure from 8 answers cannot tell 8 from 8.5, however alike the
 * pairs look. Each count adds its rounding variance, 1 ÷ (12·count²) on the log scale, to its
 * pair; without it, a closed loop that completes the same 8 calls in every window would give a
 * zero-width interval and call a ±6% uncertainty "no difference larger than 0%".
 *
 * Undefined below two complete pairs, or when a figure is not positive.
 */
export function pairedRatio(
  a: readonly number[],
  b: readonly number[],
  options: {
    readonly level?: number;
    readonly processSpread?: number;
    readonly counts?: { readonly a: readonly number[]; readonly b: readonly number[] };
  } = {},
): PairedInterval | undefined {
  const pairs = Math.min(a.length, b.length);
  const logRatios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (!(x > 0 && y > 0 && Number.isFinite(x) && Number.isFinite(y))) return undefined;
    logRatios.push(Math.log(x / y));
  }
  if (logRatios.length < 2) return undefined;
  const n = logRatios.length;
  const withinRun = varianceOf(logRatios) / n;
  const counting = countingVariance(options.counts, n);
  const sharedVariance = (options.processSpread ?? 0) ** 2;
  const variance = withinRun + sharedVariance + counting;
  const degreesOfFreedom = pairedDegreesOfFreedom(n, withinRun, variance);
  return {
    ...fromLogMean(meanOf(logRatios), Math.sqrt(variance), degreesOfFreedom, options.level ?? 0.95),
    pairs,
    pairVariance: (withinRun + counting) * n,
    sharedVariance,
  };
}

/**
 * Welch–Satterthwaite for n pairs whose spread gives `withinRun` of the interval's `variance`, the
 * rest (process spread, counting) counting as known.
 */
export function pairedDegreesOfFreedom(n: number, withinRun: number, variance: number): number {
  return withinRun === 0 ? 1e6 : Math.min(1e6, ((n - 1) * variance ** 2) / withinRun ** 2);
}

/** The variance that rounding to whole answers adds to the mean of n log-ratios. */
function countingVariance(
  counts: { readonly a: readonly number[]; readonly b: readonly number[] } | undefined,
  n: number,
): number {
  if (!counts) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (const count of [counts.a[i], counts.b[i]]) {
      if (count !== undefined && count > 0) sum += 1 / (12 * count * count);
    }
  }
  return sum / (n * n);
}
