import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../accounting/request-counts.js';
import { warmServerRule, warmUpServer, warmupEnd } from './server-warmup.js';

const steps = (...rps: number[]) => rps.map((r) => ({ rps: r, answers: r / 2 }));

describe('warmupEnd', () => {
  it('settles once three steps in a row have not beaten the best before them by more than 10%', () => {
    expect(warmupEnd(steps(4000), warmServerRule)).toBeUndefined();
    expect(warmupEnd(steps(4000, 7000, 9500), warmServerRule)).toBeUndefined();
    expect(warmupEnd(steps(4000, 7000, 9500, 10_000), warmServerRule)).toBeUndefined();
    expect(warmupEnd(steps(4000, 7000, 9500, 10_000, 9800), warmServerRule)).toBeUndefined();
    expect(warmupEnd(steps(4000, 7000, 9500, 10_000, 9800, 10_300), warmServerRule)).toBe('settled');
  });
  it('keeps warming through a landing between two climbs (V8 tiers up in stages)', () => {
    // The quick suite's classify over grpc, 2026-12-07 16:59: the old rule stopped at 7,157 after 7,906.
    expect(warmupEnd(steps(2745, 5891, 7906, 7157, 7500), warmServerRule)).toBeUndefined();
    expect(warmupEnd(steps(2745, 5891, 7906, 7157, 7500, 9400), warmServerRule)).toBeUndefined();
    expect(warmupEnd(steps(2745, 5891, 7906, 7157, 7500, 9400, 9300, 9500, 9100), warmServerRule)).toBe(
      'settled',
    );
  });
  it('settles after dips as after flat steps (a dip is not a rise)', () => {
    expect(warmupEnd(steps(9000, 7000, 8000), warmServerRule)).toBeUndefined();
    expect(warmupEnd(steps(9000, 7000, 8000, 8500), warmServerRule)).toBe('settled');
  });
  it('stops at the step limit when the throughput never stops rising', () => {
    const rising = Array.from({ length: warmServerRule.maxSteps }, (_, i) => 1000 * 1.5 ** i);
    expect(warmupEnd(steps(...rising.slice(0, -1)), warmServerRule)).toBeUndefined();
    expect(warmupEnd(steps(...rising), warmServerRule)).toBe('step-limit');
  });
  it('warms a fresh server at least 10 steps, however flat (the driver warms beside it)', () => {
    const flat = Array.from({ length: 10 }, () => 9000);
    expect(warmupEnd(steps(...flat.slice(0, -1)))).toBeUndefined();
    expect(warmupEnd(steps(...flat))).toBe('settled');
    expect(warmupEnd(steps(...flat.slice(0, 4)), warmServerRule)).toBe('settled');
  });
  it('stops at once when a step has too few answers to be a rate (the real recognizer)', () => {
    expect(warmupEnd([{ rps: 12, answers: 6 }])).toBe('too-few-answers');
  });
});

describe('warmUpServer', () => {
  it('runs steps until settled and accounts for every request of every step', async () => {
    const rates = [3000, 6000, 6100, 6000, 6200, 99_999];
    let i = 0;
    const warmup = await warmUpServer(async () => {
      const rps = rates[i++]!;
      const counts = { ...emptyCounts(), sent: rps / 2 + 16, ok: rps / 2, cancelled: 16 };
      return { rps, counts };
    }, warmServerRule);
    expect(warmup).toMatchObject({ steps: [3000, 6000, 6100, 6000, 6200], ended: 'settled', stepMs: 400 });
    expect(warmup.counts).toMatchObject({ sent: 13_650 + 80, ok: 13_650, cancelled: 80 });
  });
});
