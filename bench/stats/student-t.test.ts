import { describe, expect, it } from 'vitest';
import { studentTCdf, studentTQuantile } from './student-t.js';

describe('Student t distribution', () => {
  it('gives the two-sided 95% and 99% critical values of the printed tables', () => {
    const table: [df: number, t975: number, t995: number][] = [
      [1, 12.7062, 63.6567],
      [2, 4.3027, 9.9248],
      [4, 2.7764, 4.6041],
      [9, 2.2622, 3.2498],
      [29, 2.0452, 2.7564],
      [120, 1.9799, 2.6174],
    ];
    for (const [df, t975, t995] of table) {
      expect(studentTQuantile(0.975, df)).toBeCloseTo(t975, 4);
      expect(studentTQuantile(0.995, df)).toBeCloseTo(t995, 4);
    }
  });

  it('tends to the normal distribution and is symmetric', () => {
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.96, 3);
    expect(studentTQuantile(0.025, 7)).toBeCloseTo(-studentTQuantile(0.975, 7), 10);
    expect(studentTCdf(0, 3)).toBe(0.5);
    expect(studentTCdf(studentTQuantile(0.9, 6), 6)).toBeCloseTo(0.9, 10);
  });

  it('refuses probabilities outside (0, 1)', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
  });
});
