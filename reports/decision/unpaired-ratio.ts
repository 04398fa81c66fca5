import { fromLogMean, type LogInterval, meanOf, varianceOf } from '../../bench/stats/log-interval.js';

/**
 * a ÷ b of two figures measured in separate scenarios (not in pairs: a tuning against another
 * runs at another time), as the ratio of geometric means with a Welch interval on the logs.
 * Wider than a paired interval, as it should be: drifts between the scenarios do not cancel.
 * Undefined below two positive values on either side.
 */
export function unpairedRatio(a: readonly number[], b: readonly number[]): LogInterval | undefined {
  const usable = (values: readonly number[]) =>
    values.length >= 2 && values.every((v) => v > 0 && Number.isFinite(v));
  if (!usable(a) || !usable(b)) return undefined;
  const la = a.map(Math.log);
  const lb = b.map(Math.log);
  const va = varianceOf(la) / la.length;
  const vb = varianceOf(lb) / lb.length;
  const variance = va + vb;
  const degreesOfFreedom =
    variance === 0 ? 1e6 : variance ** 2 / (va ** 2 / (la.length - 1) + vb ** 2 / (lb.length - 1));
  return fromLogMean(meanOf(la) - meanOf(lb), Math.sqrt(variance), Math.min(1e6, degreesOfFreedom), 0.95);
}
