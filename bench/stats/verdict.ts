import type { LogInterval } from './log-interval.js';
import { pairedDegreesOfFreedom, pairedRatio } from './paired-ratio.js';
import { studentTQuantile } from './student-t.js';

/**
 * The three answers a comparison can give (docs/verdicts.md):
 *   faster      — the ratio's interval excludes 1: A (or B) is faster by X%;
 *   equivalent  — the interval lies inside ±Y% with Y no more than the margin: no difference larger than Y%;
 *   undecided   — neither: this run cannot tell differences under Z% (Z from the interval's width).
 * An equivalence is an answer too; only "undecided" says the run was too short or too noisy.
 */
export type VerdictKind = 'faster' | 'equivalent' | 'undecided';

/**
 * Differences this small are called "no difference": the size below which a difference between
 * protocols is not worth a decision here. A choice, not a measurement (docs/verdicts.md).
 */
export const equivalenceMarginPercent = 10;

export interface Verdict {
  readonly kind: VerdictKind;
  /** `faster`: which side. */
  readonly winner?: 'a' | 'b';
  /** faster: by X%; equivalent: no difference larger than Y%; undecided: cannot tell under Z% (NaN without an interval). */
  readonly percent: number;
  readonly text: string;
  /** undecided, from a paired interval: the pairs that would narrow it to ±margin (pairsToNarrow). */
  readonly pairsToNarrow?: PairsToNarrow;
}

/** A number of pairs; `never` when the spread between server processes alone is wider; `more` past the most named. */
export type PairsToNarrow = number | 'never' | 'more';

export interface RatioInterval {
  /** a ÷ b. */
  readonly centre: number;
  readonly low: number;
  readonly high: number;
  /** From pairedRatio: what more pairs would divide and what they would not (an undecided verdict projects them). */
  readonly pairVariance?: number;
  readonly sharedVariance?: number;
  readonly level?: number;
}

/** The most pairs a projection names; beyond it a run says "more than". */
export const mostPairsProjected = 1_000;

/**
 * How many pairs would narrow the interval to ±`marginPercent`, if the pairs kept the spread this
 * run saw: the smallest n with t(n)·√(pairVariance ÷ n + sharedVariance) within the margin
 * (degrees of freedom as pairedRatio's). `never` when the shared part alone, which no number of
 * pairs divides (two server processes' spread), is wider than the margin; `more` past 1,000 pairs.
 */
export function pairsToNarrow(
  interval: Required<Pick<RatioInterval, 'pairVariance' | 'sharedVariance'>> & { readonly level?: number },
  marginPercent: number,
): PairsToNarrow {
  const level = interval.level ?? 0.95;
  const target = Math.log(1 + marginPercent / 100);
  const { pairVariance, sharedVariance } = interval;
  if (studentTQuantile(1 - (1 - level) / 2, 1e6) * Math.sqrt(sharedVariance) >= target) return 'never';
  for (let n = 2; n <= mostPairsProjected; n++) {
    const perPairs = pairVariance / n;
    const variance = perPairs + sharedVariance;
    const degreesOfFreedom = pairedDegreesOfFreedom(n, perPairs, variance);
    if (studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom) * Math.sqrt(variance) <= target) return n;
  }
  return 'more';
}

/** "; about 40 pairs would narrow it to ±10%", or why no number would. */
function projection(sharedVariance: number, pairs: PairsToNarrow, marginPercent: number): string {
  if (pairs === 'never') {
    // As docs/verdicts.md gives it: the standard deviation of log(a ÷ b), in percent.
    const spread = Math.sqrt(sharedVariance) * 100;
    return `; no number of pairs would narrow it to ±${marginPercent}%: two server processes of one kind alone spread ${round(spread)}%`;
  }
  if (pairs === 'more')
    return `; more than ${mostPairsProjected} pairs would narrow it to ±${marginPercent}%`;
  return `; about ${pairs} pairs would narrow it to ±${marginPercent}%`;
}

const percentOf = (ratio: number) => (ratio - 1) * 100;
const round = (percent: number) => (percent >= 10 ? percent.toFixed(0) : percent.toFixed(1));

/** The verdict for a ratio a ÷ b of a figure where `better` says which way is faster. */
export function verdictOf(
  interval: RatioInterval | undefined,
  options: {
    readonly better: 'higher' | 'lower';
    readonly a: string;
    readonly b: string;
    readonly marginPercent?: number;
    /** Why there is no interval, when there is none (e.g. "one repetition"). */
    readonly noInterval?: string;
  },
): Verdict {
  if (interval === undefined) {
    return {
      kind: 'undecided',
      percent: Number.NaN,
      text: `undecided: ${options.noInterval ?? 'fewer than 2 pairs of repetitions'}, no interval`,
    };
  }
  const { centre, low, high } = interval;
  const range = `a ÷ b ${centre.toFixed(2)} [${low.toFixed(2)}–${high.toFixed(2)}]`;
  if (low > 1 || high < 1) {
    const aLarger = low > 1;
    const winner = aLarger === (options.better === 'higher') ? 'a' : 'b';
    const percent = percentOf(Math.max(centre, 1 / centre));
    return {
      kind: 'faster',
      winner,
      percent,
      text: `${winner === 'a' ? options.a : options.b} faster by ${round(percent)}% (${range})`,
    };
  }
  const within = percentOf(Math.exp(Math.max(Math.abs(Math.log(low)), Math.abs(Math.log(high)))));
  const margin = options.marginPercent ?? equivalenceMarginPercent;
  if (within <= margin) {
    const shown = Math.ceil(within - 1e-9);
    return { kind: 'equivalent', percent: shown, text: `no difference larger than ${shown}% (${range})` };
  }
  const resolution = percentOf(Math.sqrt(high / low));
  const text = `undecided: this run cannot tell differences under ${round(resolution)}% (${range})`;
  if (interval.pairVariance === undefined || interval.sharedVariance === undefined)
    return { kind: 'undecided', percent: resolution, text };
  const pairs = pairsToNarrow(
    { pairVariance: interval.pairVariance, sharedVariance: interval.sharedVariance, level: interval.level },
    margin,
  );
  return {
    kind: 'undecided',
    percent: resolution,
    text: `${text}${projection(interval.sharedVariance, pairs, margin)}`,
    pairsToNarrow: pairs,
  };
}

/** How many verdicts of each kind. */
export function countVerdicts(kinds: readonly VerdictKind[]): Record<VerdictKind, number> {
  const counts: Record<VerdictKind, number> = { faster: 0, equivalent: 0, undecided: 0 };
  for (const kind of kinds) counts[kind] += 1;
  return counts;
}

/**
 * a ÷ b of a figure measured in pairs (repetition i of a beside repetition i of b), its interval
 * (paired-ratio.ts) and its verdict: what the run summary, the reports and the calibration share.
 */
export function comparePaired(
  a: readonly number[],
  b: readonly number[],
  options: {
    readonly better: 'higher' | 'lower';
    readonly a: string;
    readonly b: string;
    /** The answers behind each figure, when the figure is a rate (see pairedRatio). */
    readonly counts?: { readonly a: readonly number[]; readonly b: readonly number[] };
    /** a and b came from different server processes: their spread (bench/stats/process-spread.ts). */
    readonly processSpread?: number;
  },
): { readonly ratio: number; readonly interval: LogInterval | undefined; readonly verdict: Verdict } {
  const interval = pairedRatio(a, b, {
    ...(options.counts ? { counts: options.counts } : {}),
    ...(options.processSpread ? { processSpread: options.processSpread } : {}),
  });
  const pairs = Math.min(a.length, b.length);
  const verdict = verdictOf(interval, {
    ...options,
    noInterval: pairs === 1 ? 'one repetition' : 'fewer than 2 pairs of positive figures',
  });
  // Without an interval, the ratio of the first pair (the only one, when there is one).
  const ratio = interval?.centre ?? (pairs > 0 ? a[0]! / b[0]! : Number.NaN);
  return { ratio, interval, verdict };
}
