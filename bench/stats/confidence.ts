import { mulberry32 } from './prng.js';
import { quantile } from './quantile.js';
import { studentTQuantile } from './student-t.js';

export type IntervalMethod = 'student-t-mean' | 'bootstrap-percentile-median';

/** A confidence interval and what it is an interval of. */
export interface ConfidenceInterval {
  readonly low: number;
  readonly high: number;
  /** 0.95 for a 95% interval. */
  readonly level: number;
  /** Student-t: of the mean, assuming roughly normal repetitions. Bootstrap: of the median, assuming nothing but exchangeable ones. */
  readonly method: IntervalMethod;
}

/** A figure measured once per repetition (req/s, p99 µs, …). */
export interface RepeatedFigure {
  readonly n: number;
  readonly median: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); NaN below two values. */
  readonly standardDeviation: number;
  /** Undefined when there are too few repetitions for the method (2 for Student-t, 5 for the bootstrap). */
  readonly interval: ConfidenceInterval | undefined;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const center = mean(values);
  return Math.sqrt(values.reduce((sum, value) => sum + (value - center) ** 2, 0) / (values.length - 1));
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`);
}

/** mean ± t(1 − α/2, n − 1) · s / √n. */
export function studentTInterval(values: readonly number[], level = 0.95): ConfidenceInterval {
  if (values.length < 2)
    throw new RangeError(`a Student-t interval needs at least 2 values, got ${values.length}`);
  checkLevel(level);
  const center = mean(values);
  const halfWidth =
    studentTQuantile(1 - (1 - level) / 2, values.length - 1) *
    (standardDeviation(values) / Math.sqrt(values.length));
  return { low: center - halfWidth, high: center + halfWidth, level, method: 'student-t-mean' };
}

export interface BootstrapOptions {
  readonly level?: number;
  /** Default 10,000. */
  readonly resamples?: number;
  /** Default 1: the same data always give the same interval. */
  readonly seed?: number;
}

/**
 * Percentile bootstrap of the median: resample with replacement, take each resample's median,
 * and report the central `level` share of those medians. Below 5 values a resample can take so
 * few distinct values that the interval means little, so it is refused.
 */
export function bootstrapMedianInterval(
  values: readonly number[],
  options: BootstrapOptions = {},
): ConfidenceInterval {
  if (values.length < 5)
    throw new RangeError(`a bootstrap interval needs at least 5 values, got ${values.length}`);
  const level = options.level ?? 0.95;
  checkLevel(level);
  const resamples = options.resamples ?? 10_000;
  const random = mulberry32(options.seed ?? 1);
  const medians = new Array<number>(resamples);
  const resample = new Array<number>(values.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < values.length; i++) resample[i] = values[Math.floor(random() * values.length)]!;
    medians[r] = quantile(resample, 0.5);
  }
  const tail = (1 - level) / 2;
  return {
    low: quantile(medians, tail),
    high: quantile(medians, 1 - tail),
    level,
    method: 'bootstrap-percentile-median',
  };
}

export type IntervalChoice = 'student-t' | 'bootstrap';

/** Median, mean and a confidence interval of repeated measurements of one figure. */
export function summarizeRepetitions(
  values: readonly number[],
  options: { readonly method?: IntervalChoice; readonly level?: number; readonly seed?: number } = {},
): RepeatedFigure {
  if (values.length === 0) throw new RangeError('no measurements to summarize');
  const method = options.method ?? 'student-t';
  const level = options.level ?? 0.95;
  const enough = values.length >= (method === 'student-t' ? 2 : 5);
  return {
    n: values.length,
    median: quantile(values, 0.5),
    mean: mean(values),
    standardDeviation: standardDeviation(values),
    interval: !enough
      ? undefined
      : method === 'student-t'
        ? studentTInterval(values, level)
        : bootstrapMedianInterval(values, {
            level,
            ...(options.seed === undefined ? {} : { seed: options.seed }),
          }),
  };
}
