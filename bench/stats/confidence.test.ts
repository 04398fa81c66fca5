import { describe, expect, it } from 'vitest';
import { bootstrapMedianInterval, studentTInterval, summarizeRepetitions } from './confidence.js';
import { mulberry32 } from './prng.js';

describe('confidence intervals of repeated measurements', () => {
  it('gives the Student-t interval of the mean', () => {
    // mean 14, s = √10, s/√5 = √2, t(0.975, 4) = 2.776445: 14 ± 3.926486.
    const interval = studentTInterval([10, 12, 14, 16, 18]);
    expect(interval.method).toBe('student-t-mean');
    expect(interval.level).toBe(0.95);
    expect(interval.low).toBeCloseTo(10.073514, 5);
    expect(interval.high).toBeCloseTo(17.926486, 5);
  });

  it('gives the Student-t interval for two values and for other levels', () => {
    // mean 101, s = √2, s/√2 = 1, t(0.975, 1) = 12.706205.
    const two = studentTInterval([100, 102]);
    expect(two.low).toBeCloseTo(101 - 12.706205, 5);
    expect(two.high).toBeCloseTo(101 + 12.706205, 5);
    // t(0.95, 4) = 2.131847.
    const ninety = studentTInterval([10, 12, 14, 16, 18], 0.9);
    expect(ninety.high - 14).toBeCloseTo(2.131847 * Math.SQRT2, 5);
  });

  it('gives a bootstrap interval of the median that is the same for the same seed', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const interval = bootstrapMedianInterval(values);
    expect(interval).toEqual({ low: 3, high: 8, level: 0.95, method: 'bootstrap-percentile-median' });
    expect(bootstrapMedianInterval(values)).toEqual(interval);
    expect(bootstrapMedianInterval(values, { seed: 2 }).low).toBeLessThanOrEqual(5.5);
    expect(bootstrapMedianInterval([7, 7, 7, 7, 7])).toMatchObject({ low: 7, high: 7 });
  });

  it('seeds mulberry32 reproducibly', () => {
    const random = mulberry32(1);
    expect([random(), random(), random()]).toEqual([
      0.6270739405881613, 0.002735721180215478, 0.5274470399599522,
    ]);
  });

  it('refuses too few values for each method', () => {
    expect(() => studentTInterval([1])).toThrow(RangeError);
    expect(() => bootstrapMedianInterval([1, 2, 3, 4])).toThrow(RangeError);
  });

  it('summarizes repetitions with the median, mean and chosen interval', () => {
    const figure = summarizeRepetitions([3, 1, 2, 4]);
    expect(figure).toMatchObject({ n: 4, median: 2.5, mean: 2.5 });
    expect(figure.standardDeviation).toBeCloseTo(Math.sqrt(5 / 3), 10);
    expect(figure.interval?.method).toBe('student-t-mean');
    expect(summarizeRepetitions([5]).interval).toBeUndefined();
    expect(summarizeRepetitions([1, 2, 3, 4], { method: 'bootstrap' }).interval).toBeUndefined();
    expect(
      summarizeRepetitions([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { method: 'bootstrap' }).interval,
    ).toMatchObject({
      low: 3,
      high: 8,
    });
  });
});
