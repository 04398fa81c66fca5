import { type IntervalChoice, type RepeatedFigure, summarizeRepetitions } from './confidence.js';

export type Verdict = 'A faster' | 'B faster' | 'no significant difference';

/** Whether a larger value of the figure is better (req/s) or worse (latency). */
export type Better = 'higher' | 'lower';

export interface Comparison {
  readonly a: RepeatedFigure;
  readonly b: RepeatedFigure;
  /** B / A of the figure's centre (the mean for Student-t intervals, the median for bootstrap ones). */
  readonly ratio: number;
  /**
   * B / A over both intervals: [B.low / A.high, B.high / A.low]. It excludes 1 exactly when the
   * intervals separate, so it always agrees with the verdict; it is conservative (wider than a
   * 95% interval of the ratio). Undefined without both intervals or when A's interval reaches 0.
   */
  readonly ratioInterval: { readonly low: number; readonly high: number } | undefined;
  readonly verdict: Verdict;
}

function centre(figure: RepeatedFigure): number {
  return figure.interval?.method === 'bootstrap-percentile-median' ? figure.median : figure.mean;
}

/**
 * The verdict names a winner only when the two intervals do not overlap: a stricter test than a
 * 5% significance test of the difference (two separate 95% intervals), chosen so that a
 * benchmark report never calls a difference that another run might reverse.
 */
export function compareFigures(a: RepeatedFigure, b: RepeatedFigure, better: Better): Comparison {
  const ia = a.interval;
  const ib = b.interval;
  if (ia && ib && ia.method !== ib.method)
    throw new Error(`cannot compare a ${ia.method} with a ${ib.method} interval`);
  const ratio = centre(b) / centre(a);
  if (ia === undefined || ib === undefined) {
    return { a, b, ratio, ratioInterval: undefined, verdict: 'no significant difference' };
  }
  const ratioInterval =
    ia.low > 0 && ib.low >= 0 ? { low: ib.low / ia.high, high: ib.high / ia.low } : undefined;
  let higher: 'A' | 'B' | undefined;
  if (ia.low > ib.high) higher = 'A';
  else if (ib.low > ia.high) higher = 'B';
  const verdict: Verdict =
    higher === undefined
      ? 'no significant difference'
      : (higher === 'A') === (better === 'higher')
        ? 'A faster'
        : 'B faster';
  return { a, b, ratio, ratioInterval, verdict };
}

/** Summarizes both samples the same way, then compares them. */
export function compareSamples(
  a: readonly number[],
  b: readonly number[],
  options: { readonly better: Better; readonly method?: IntervalChoice; readonly seed?: number },
): Comparison {
  const summarize = (values: readonly number[]) =>
    summarizeRepetitions(values, {
      ...(options.method === undefined ? {} : { method: options.method }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    });
  return compareFigures(summarize(a), summarize(b), options.better);
}
