import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('starts full, spends the burst, then admits at the rate and says how long to wait', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0]);
    expect(bucket.take(0)).toBeCloseTo(100, 6);
    expect(bucket.take(50)).toBeCloseTo(50, 6);
    expect(bucket.take(100)).toBe(0);
    // Never above the burst, however long it waits.
    expect([0, 0, 0, 0].map(() => bucket.take(60_000))).toEqual([0, 0, 0, expect.closeTo(100, 6)]);
  });

  it('over T seconds at 2× the rate admits burst + rate × T', () => {
    const bucket = new TokenBucket(50, 10, 0);
    let admitted = 0;
    for (let i = 0; i < 1000; i += 1) if (bucket.take(i * 10) === 0) admitted += 1; // 100/s for 10 s
    expect(admitted).toBe(Math.floor(10 + 50 * 9.99));
  });

  it('takes debts for costs known afterwards, and says when the balance is positive again', () => {
    const bucket = new TokenBucket(1, 5, 0);
    expect(bucket.waitUntilPositive(0)).toBe(0);
    bucket.debit(0, 8);
    expect(bucket.waitUntilPositive(0)).toBeCloseTo(3_000, 3);
    expect(bucket.waitUntilPositive(3_001)).toBe(0);
  });
});
