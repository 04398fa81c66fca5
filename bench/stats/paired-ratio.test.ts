import { describe, expect, it } from 'vitest';
import { logScaleInterval } from './log-interval.js';
import { pairedRatio } from './paired-ratio.js';
import { mulberry32 } from './prng.js';

/** A standard normal draw (Box–Muller) from a seeded uniform source. */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * n pairs of a benchmark on a drifting machine: each round's speed moves both variants (a shared
 * factor, σ 15%), and each repetition adds its own noise (σ 6%); a ÷ b is `ratio` in truth.
 */
function simulatePairs(random: () => number, n: number, ratio: number) {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    const machine = 10_000 * Math.exp(0.15 * normal(random) + 0.05 * i);
    a.push(machine * ratio * Math.exp(0.06 * normal(random)));
    b.push(machine * Math.exp(0.06 * normal(random)));
  }
  return { a, b };
}

/** Percentile bootstrap of the mean log-ratio: what the t interval is measured against. */
function bootstrapCovers(random: () => number, a: number[], b: number[], ratio: number): boolean {
  const logs = a.map((x, i) => Math.log(x / b[i]!));
  const means: number[] = [];
  for (let r = 0; r < 400; r++) {
    let sum = 0;
    for (let i = 0; i < logs.length; i++) sum += logs[Math.floor(random() * logs.length)]!;
    means.push(sum / logs.length);
  }
  means.sort((x, y) => x - y);
  const truth = Math.log(ratio);
  return means[Math.floor(0.025 * 400)]! <= truth && truth <= means[Math.ceil(0.975 * 400) - 1]!;
}

describe('paired ratio on the log scale', () => {
  it('gives exp(mean log a/b ± t·s/√n), positive, symmetric for ×2 and ÷2', () => {
    // log-ratios ln 2, ln 2, ln 2·e^0.2, ln 2·e^−0.2: mean ln 2, s = √(0.08/3).
    const interval = pairedRatio([2, 4, 2 * Math.exp(0.2), 2 * Math.exp(-0.2)], [1, 2, 1, 1])!;
    expect(interval.centre).toBeCloseTo(2, 10);
    const half = 3.182446 * Math.sqrt(0.08 / 3 / 4);
    expect(interval.low).toBeCloseTo(2 * Math.exp(-half), 5);
    expect(interval.high).toBeCloseTo(2 * Math.exp(half), 5);
    const inverse = pairedRatio([1, 2, 1, 1], [2, 4, 2 * Math.exp(0.2), 2 * Math.exp(-0.2)])!;
    expect(inverse.low).toBeCloseTo(1 / interval.high, 10);
    expect(inverse.pairs).toBe(4);
  });

  it('counts whole answers: identical small counts give an interval as wide as ±½ an answer, not zero', () => {
    const eight = [6.4, 6.4, 6.4, 6.4];
    const bare = pairedRatio(eight, eight)!;
    expect(bare.high - bare.low).toBe(0);
    const counted = pairedRatio(eight, eight, { counts: { a: [8, 8, 8, 8], b: [8, 8, 8, 8] } })!;
    // sd of the mean log-ratio: sqrt(4 pairs × 2 × 1/(12·64)) / 4 ≈ 0.0255, so about ±5%.
    expect(counted.low).toBeLessThan(0.96);
    expect(counted.high).toBeGreaterThan(1.04);
    const many = pairedRatio(eight, eight, { counts: { a: [8e4, 8e4, 8e4, 8e4], b: [8e4, 8e4, 8e4, 8e4] } })!;
    expect(many.high - many.low).toBeLessThan(1e-4);
  });

  it('has no interval from one pair or from a figure of zero', () => {
    expect(pairedRatio([5], [4])).toBeUndefined();
    expect(pairedRatio([5, 0], [4, 4])).toBeUndefined();
    expect(logScaleInterval([536])).toBeUndefined();
  });

  it('covers a known ratio at the nominal 95% in a seeded simulation, where a percentile bootstrap falls short', () => {
    const random = mulberry32(15);
    const runs = 2000;
    for (const n of [3, 8]) {
      let covered = 0;
      let bootstrapCovered = 0;
      for (let run = 0; run < runs; run++) {
        const { a, b } = simulatePairs(random, n, 0.8);
        const interval = pairedRatio(a, b)!;
        if (interval.low <= 0.8 && 0.8 <= interval.high) covered++;
        if (bootstrapCovers(random, a, b, 0.8)) bootstrapCovered++;
        expect(interval.low).toBeGreaterThan(0);
      }
      // 2000 runs: the binomial standard error at 95% is 0.5 points.
      expect(covered / runs).toBeGreaterThan(0.935);
      expect(covered / runs).toBeLessThan(0.965);
      expect(bootstrapCovered / runs).toBeLessThan(0.93);
    }
  });

  it('gives per-variant intervals that never go below zero, however noisy the repetitions', () => {
    // The case: three repetitions 18,422, 11,622, 14,826 req/s.
    const interval = logScaleInterval([18_422, 11_622, 14_826])!;
    expect(interval.low).toBeGreaterThan(0);
    expect(interval.centre).toBeCloseTo(Math.cbrt(18_422 * 11_622 * 14_826), 6);
    const wild = logScaleInterval([100, 10_000, 50])!;
    expect(wild.low).toBeGreaterThan(0);
  });
});
