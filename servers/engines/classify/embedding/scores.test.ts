import { describe, expect, it } from 'vitest';
import { rankDescending, sigmoid, softmax } from './scores.js';

describe('scores', () => {
  it('softmax sums to 1 and survives extreme or non-finite input', () => {
    const scores = softmax([1000, -1000, Number.NaN, Number.POSITIVE_INFINITY, 0], 0.01);
    expect(scores.every(Number.isFinite)).toBe(true);
    expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(softmax([0, 0, 0, 0], 0.1)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('sigmoid is 0.5 at the centre and stays within [0, 1]', () => {
    const [low, mid, high, nan] = sigmoid([-1e9, 0.25, 1e9, Number.NaN], 0.25, 0.1);
    expect([low, mid, high]).toEqual([0, 0.5, 1]);
    expect(Number.isFinite(nan)).toBe(true);
  });

  it('ranks by descending score, ties in input order', () => {
    expect(rankDescending([0.2, 0.5, 0.2, 0.5, 0.1])).toEqual([1, 3, 0, 2, 4]);
  });
});
