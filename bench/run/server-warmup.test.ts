import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../accounting/request-counts.js';
import { serverWarmupRule, warmUpServer, warmupEnd } from './server-warmup.js';

const steps = (...rps: number[]) => rps.map((r) => ({ rps: r, answers: r / 2 }));

describe('warmupEnd', () => {
  it('keeps warming while each step beats the best before it by more than the rise allowed', () => {
    expect(warmupEnd(steps(4000))).toBeUndefined();
    expect(warmupEnd(steps(4000, 7000))).toBeUndefined();
    expect(warmupEnd(steps(4000, 7000, 9500))).toBeUndefined();
    expect(warmupEnd(steps(4000, 7000, 9500, 10_000))).toBe('settled');
  });
  it('settles on a step below an earlier one (a dip is not a rise)', () => {
    expect(warmupEnd(steps(9000, 7000))).toBe('settled');
  });
  it('stops at the step limit when the throughput never stops rising', () => {
    const rising = Array.from({ length: serverWarmupRule.maxSteps }, (_, i) => 1000 * 1.5 ** i);
    expect(warmupEnd(steps(...rising.slice(0, -1)))).toBeUndefined();
    expect(warmupEnd(steps(...rising))).toBe('step-limit');
  });
  it('stops at once when a step has too few answers to be a rate (the real recognizer)', () => {
    expect(warmupEnd([{ rps: 12, answers: 6 }])).toBe('too-few-answers');
  });
});

describe('warmUpServer', () => {
  it('runs steps until settled and accounts for every request of every step', async () => {
    const rates = [3000, 6000, 6100, 99_999];
    let i = 0;
    const warmup = await warmUpServer(async () => {
      const rps = rates[i++]!;
      const counts = { ...emptyCounts(), sent: rps / 2 + 16, ok: rps / 2, cancelled: 16 };
      return { rps, counts };
    });
    expect(warmup).toMatchObject({ steps: [3000, 6000, 6100], ended: 'settled', stepMs: 500 });
    expect(warmup.counts).toMatchObject({ sent: 7550 + 48, ok: 7550, cancelled: 48 });
  });
});
