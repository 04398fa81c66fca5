import { describe, expect, it } from 'vitest';
import { compareFigures, compareSamples } from './compare.js';
import type { RepeatedFigure } from './confidence.js';

function figure(mean: number, low: number, high: number): RepeatedFigure {
  return {
    n: 5,
    median: mean,
    mean,
    standardDeviation: 1,
    interval: { low, high, level: 0.95, method: 'student-t-mean' },
  };
}

describe('comparing two variants', () => {
  it('calls the higher throughput faster only when the intervals separate', () => {
    const comparison = compareFigures(figure(100, 95, 105), figure(150, 140, 160), 'higher');
    expect(comparison.verdict).toBe('B faster');
    expect(comparison.ratio).toBe(1.5);
    expect(comparison.ratioInterval).toEqual({ low: 140 / 105, high: 160 / 95 });
  });

  it('calls the lower latency faster', () => {
    expect(compareFigures(figure(100, 95, 105), figure(150, 140, 160), 'lower').verdict).toBe('A faster');
    expect(compareFigures(figure(150, 140, 160), figure(100, 95, 105), 'lower').verdict).toBe('B faster');
  });

  it('calls no difference when the intervals overlap or touch, even with different centres', () => {
    const overlapping = compareFigures(figure(100, 90, 110), figure(115, 108, 122), 'higher');
    expect(overlapping.verdict).toBe('no significant difference');
    expect(overlapping.ratioInterval!.low).toBeLessThan(1);
    expect(overlapping.ratioInterval!.high).toBeGreaterThan(1);
    expect(compareFigures(figure(100, 90, 110), figure(120, 110, 130), 'higher').verdict).toBe(
      'no significant difference',
    );
  });

  it('calls no difference without intervals', () => {
    const single: RepeatedFigure = {
      n: 1,
      median: 1,
      mean: 1,
      standardDeviation: Number.NaN,
      interval: undefined,
    };
    const comparison = compareFigures(single, figure(100, 99, 101), 'higher');
    expect(comparison.verdict).toBe('no significant difference');
    expect(comparison.ratioInterval).toBeUndefined();
  });

  it('compares raw repetitions with Student-t intervals of the mean', () => {
    // Three values 10 apart: s = 10, half-width t(0.975, 2) · 10 / √3 = 4.302653 · 5.7735 = 24.84,
    // so A is 1000 ± 24.84 and B 1100 ± 24.84: separate. Against 1010 ± 24.84 they overlap.
    const comparison = compareSamples([990, 1000, 1010], [1090, 1100, 1110], { better: 'higher' });
    expect(comparison.a.interval!.high).toBeCloseTo(1000 + (4.302653 * 10) / Math.sqrt(3), 4);
    expect(comparison.verdict).toBe('B faster');
    expect(comparison.ratio).toBeCloseTo(1.1, 12);
    const close = compareSamples([990, 1000, 1010], [1000, 1010, 1020], { better: 'higher' });
    expect(close.verdict).toBe('no significant difference');
  });

  it('compares with bootstrap intervals of the median', () => {
    const a = [10, 11, 12, 13, 14, 15, 16];
    const b = [30, 31, 32, 33, 34, 35, 36];
    const comparison = compareSamples(a, b, { better: 'lower', method: 'bootstrap' });
    expect(comparison.a.interval?.method).toBe('bootstrap-percentile-median');
    expect(comparison.ratio).toBe(33 / 13);
    expect(comparison.verdict).toBe('A faster');
  });

  it('refuses to compare intervals of different kinds', () => {
    const bootstrap: RepeatedFigure = {
      ...figure(1, 0, 2),
      interval: { low: 0, high: 2, level: 0.95, method: 'bootstrap-percentile-median' },
    };
    expect(() => compareFigures(figure(1, 0, 2), bootstrap, 'higher')).toThrow(/cannot compare/);
  });
});
