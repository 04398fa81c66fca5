import { compareFigures } from '../stats/compare.js';
import { summarizeRepetitions } from '../stats/confidence.js';
import { meanOf, varianceOf } from '../stats/log-interval.js';
import { pairedRatio } from '../stats/paired-ratio.js';
import { verdictOf } from '../stats/verdict.js';

/** How a design decides: the quick suite's old one (per-variant Student-t intervals must not overlap) or the paired one. */
export type DesignMethod = 'overlap' | 'paired';

export interface Decision {
  /** a ÷ b is larger (true), smaller (false), or no call (undefined). */
  readonly aLarger: boolean | undefined;
  /** The design's interval of a ÷ b, when it has one. */
  readonly interval: { readonly low: number; readonly high: number } | undefined;
}

/** One comparison of a ÷ b by the design's method; the paired one takes pairedRatio's options. */
export function decide(
  method: DesignMethod,
  a: readonly number[],
  b: readonly number[],
  options: Pick<NonNullable<Parameters<typeof pairedRatio>[2]>, 'processSpread' | 'counts'> = {},
): Decision {
  if (method === 'paired') {
    const interval = pairedRatio(a, b, options);
    const verdict = verdictOf(interval, { better: 'higher', a: 'a', b: 'b' });
    return { aLarger: verdict.kind === 'faster' ? verdict.winner === 'a' : undefined, interval };
  }
  // compareFigures reports B ÷ A: pass b first so that it reads a ÷ b.
  const old = compareFigures(summarizeRepetitions(b), summarizeRepetitions(a), 'higher');
  return {
    aLarger: old.verdict === 'no significant difference' ? undefined : old.verdict === 'B faster',
    interval: old.ratioInterval,
  };
}

/**
 * The spread between server processes that pairs cannot show, from A/A comparisons: the root of
 * mean(d² − se²), d the mean log-ratio of a comparison and se² its within-run variance; 0 when
 * the pairs explain it all.
 */
export function estimateProcessSpread(
  aa: ReadonlyArray<{ readonly a: readonly number[]; readonly b: readonly number[] }>,
): number {
  const excess = aa.map(({ a, b }) => {
    const logs = a.map((x, i) => Math.log(x / b[i]!));
    return meanOf(logs) ** 2 - varianceOf(logs) / logs.length;
  });
  return excess.length === 0 ? 0 : Math.sqrt(Math.max(0, meanOf(excess)));
}

/**
 * The process spread for each round estimated on the other half of the rounds (odd from even,
 * even from odd), so that no comparison is judged by a spread it shaped: [from the even rounds,
 * from the odd ones]; a round of parity p takes element 1 − p.
 */
export function crossValidatedSpreads<R extends { readonly round: number }>(
  rounds: readonly R[],
  aaOf: (
    rounds: readonly R[],
  ) => ReadonlyArray<{ readonly a: readonly number[]; readonly b: readonly number[] }>,
): readonly [number, number] {
  const half = (parity: number) => estimateProcessSpread(aaOf(rounds.filter((r) => r.round % 2 === parity)));
  return [half(0), half(1)];
}

/**
 * µs of CPU to burn per call so that a server saturated at `rps` loses `lossPercent` of it (serves
 * r = 1 ÷ (1 − loss) times fewer calls): at saturation a call holds the event loop for 1 ÷ rps, so
 * (r − 1) ÷ rps more does it.
 */
export const burnUsForLoss = (lossPercent: number, rps: number): number =>
  ((1 / (1 - lossPercent / 100) - 1) * 1e6) / rps;

export interface Tally {
  comparisons: number;
  /** A/A: any call; A/B: a call for the truly faster side. */
  calls: number;
  /** Calls for the wrong side (A/B) — should be none. */
  wrongWay: number;
  withInterval: number;
  covered: number;
}

export const emptyTally = (): Tally => ({
  comparisons: 0,
  calls: 0,
  wrongWay: 0,
  withInterval: 0,
  covered: 0,
});

/**
 * Adds one comparison: `truthALarger` says which side truly is larger (undefined for A/A), and
 * `truthRatio` is the a ÷ b its interval should cover (1 for A/A, the long-run ratio otherwise).
 */
export function tallyDecision(
  tally: Tally,
  decision: Decision,
  truthALarger: boolean | undefined,
  truthRatio: number,
): void {
  tally.comparisons++;
  if (decision.aLarger !== undefined) {
    if (truthALarger === undefined || decision.aLarger === truthALarger) tally.calls++;
    else tally.wrongWay++;
  }
  if (decision.interval) {
    tally.withInterval++;
    if (decision.interval.low <= truthRatio && truthRatio <= decision.interval.high) tally.covered++;
  }
}

export const share = (tally: Tally | undefined, part: 'calls' | 'covered'): string => {
  if (!tally) return '–';
  const n = part === 'calls' ? tally.comparisons : tally.withInterval;
  const wrong = part === 'calls' && tally.wrongWay > 0 ? `, ${tally.wrongWay} wrong way` : '';
  return `${((100 * tally[part]) / Math.max(1, n)).toFixed(1)}% (${tally[part]}/${n})${wrong}`;
};
