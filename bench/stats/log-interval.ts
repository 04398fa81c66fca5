import { studentTCdf, studentTQuantile } from './student-t.js';

/**
 * An interval of a ratio or of a positive figure, computed on the log scale: never negative,
 * and as wide for ×2 as for ÷2. `centre` is the geometric mean (of the values, or of the ratios).
 */
export interface LogInterval {
  readonly centre: number;
  readonly low: number;
  readonly high: number;
  readonly level: number;
  /** Standard error of the mean log, and its degrees of freedom. */
  readonly logStandardError: number;
  readonly degreesOfFreedom: number;
}

export function meanOf(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** exp(mean(log values)): the centre of a positive figure on the log scale. */
export function geometricMeanOf(values: readonly number[]): number {
  return Math.exp(meanOf(values.map(Math.log)));
}

export function varianceOf(values: readonly number[]): number {
  const centre = meanOf(values);
  return values.reduce((sum, value) => sum + (value - centre) ** 2, 0) / (values.length - 1);
}

/** exp(mean ± t·se): the interval of a mean of logs, back on the ratio scale. */
export function fromLogMean(
  logMean: number,
  logStandardError: number,
  degreesOfFreedom: number,
  level: number,
): LogInterval {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
  const halfWidth = studentTQuantile(1 - (1 - level) / 2, degreesOfFreedom) * logStandardError;
  return {
    centre: Math.exp(logMean),
    low: Math.exp(logMean - halfWidth),
    high: Math.exp(logMean + halfWidth),
    level,
    logStandardError,
    degreesOfFreedom,
  };
}

/** Two-sided p-value of "the mean log is 0" (no difference) for an interval of this kind. */
export function pValueOf(interval: LogInterval): number {
  if (interval.logStandardError === 0) return interval.centre === 1 ? 1 : 0;
  const t = Math.abs(Math.log(interval.centre)) / interval.logStandardError;
  return 2 * (1 - studentTCdf(t, interval.degreesOfFreedom));
}

/**
 * Student-t interval of the mean of log(values): the geometric mean of a positive figure (req/s,
 * µs) and its interval. Undefined below two values or when a value is not positive (a variant
 * that answered nothing has no rate to take the log of).
 */
export function logScaleInterval(values: readonly number[], level = 0.95): LogInterval | undefined {
  if (values.length < 2 || !values.every((value) => value > 0 && Number.isFinite(value))) return undefined;
  const logs = values.map(Math.log);
  return fromLogMean(meanOf(logs), Math.sqrt(varianceOf(logs) / logs.length), logs.length - 1, level);
}
