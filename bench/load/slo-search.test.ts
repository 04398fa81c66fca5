import { describe, expect, it } from 'vitest';
import { emptyCounts, type RequestCounts } from '../accounting/request-counts.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import type { OpenLoopResult } from './open-loop-result.js';
import { parseSlo } from './slo.js';
import { judgeProbe, searchSloRate } from './slo-search.js';

/** A probe's result as the open loop would report it: `sent` requests, all answered in `latencyUs`. */
function result(rate: number, latencyUs: number, counts: Partial<RequestCounts> = {}): OpenLoopResult {
  const full = { ...emptyCounts(), sent: rate, ok: rate, ...counts };
  const latency = LatencyHistogram.create();
  for (let i = 0; i < full.ok + full.failed; i++) latency.recordUs(latencyUs);
  return {
    counts: full,
    latency,
    latencyUncorrected: latency,
    sendLag: LatencyHistogram.create(),
    durationMs: 1000,
    throughput: full.ok + full.failed,
    timeline: [],
    bytesWritten: 0,
    bytesRead: 0,
    targetRatePerSecond: rate,
    achievedRatePerSecond: rate - full.notSent,
    interrupted: false,
  };
}

const slo = parseSlo('p99<20ms');

describe('judging one probe', () => {
  it('passes below the bound with at most 1% unsuccessful', () => {
    expect(judgeProbe(slo, result(1000, 19_000)).passed).toBe(true);
    expect(judgeProbe(slo, result(1000, 19_000, { ok: 990, notSent: 10 })).passed).toBe(true);
    expect(judgeProbe(slo, result(1000, 19_000, { ok: 990, failed: 5, timedOut: 5 })).passed).toBe(true);
  });

  it('fails at or above the bound, or above 1% unsuccessful, or with nothing to judge', () => {
    expect(judgeProbe(slo, result(1000, 20_000)).reasons).toEqual(['p99 20000 µs ≥ 20000 µs']);
    expect(judgeProbe(slo, result(1000, 1000, { ok: 989, notSent: 11 })).reasons).toEqual([
      '1.10% unsuccessful > 1%',
    ]);
    expect(judgeProbe(slo, result(1000, 1000, { ok: 989, cancelled: 11 })).passed).toBe(false);
    expect(judgeProbe(slo, result(0, 1000)).passed).toBe(false);
  });
});

describe('searching the highest rate that holds the SLO', () => {
  /** A service that holds p99 < 20 ms up to 777 req/s. */
  const probe = async (rate: number) => result(rate, rate <= 777 ? 5000 : 80_000);

  it('grows geometrically to the first failure, then bisects to the resolution', async () => {
    const search = await searchSloRate(slo, probe, { startRate: 100, maxProbes: 20, maxTotalMs: 60_000 });
    expect(search.probes.map((p) => [p.rate, p.passed])).toEqual([
      [100, true],
      [200, true],
      [400, true],
      [800, false],
      [600, true],
      [700, true],
      [750, true],
      [775, true],
    ]);
    expect(search).toMatchObject({ bestRate: 775, firstFailingRate: 800, endReason: 'converged' });
  });

  it('bisects down from the start when the start fails', async () => {
    // [774, 797] is 23 req/s wide, under 5% of 797: converged.
    const search = await searchSloRate(slo, probe, { startRate: 3000, maxProbes: 20, maxTotalMs: 60_000 });
    expect(search.probes.map((p) => p.rate)).toEqual([3000, 1500, 750, 1125, 938, 844, 797, 774]);
    expect(search).toMatchObject({ bestRate: 774, firstFailingRate: 797, endReason: 'converged' });
  });

  it('stops after the allowed number of probes', async () => {
    const search = await searchSloRate(slo, probe, { startRate: 100, maxProbes: 3, maxTotalMs: 60_000 });
    expect(search.probes.map((p) => p.rate)).toEqual([100, 200, 400]);
    expect(search).toMatchObject({ bestRate: 400, firstFailingRate: undefined, endReason: 'max-probes' });
  });

  it('starts no probe that the time budget cannot fit', async () => {
    let now = 0;
    const slowProbe = async (rate: number) => {
      now += 3000;
      return probe(rate);
    };
    // After two probes (6 s), a third would end at 9 s > 8 s.
    const search = await searchSloRate(slo, slowProbe, {
      startRate: 100,
      maxProbes: 20,
      maxTotalMs: 8000,
      clock: () => now,
    });
    expect(search.probes.map((p) => p.rate)).toEqual([100, 200]);
    expect(search.endReason).toBe('max-time');
  });

  it('reports the ceiling and the floor', async () => {
    const fast = await searchSloRate(slo, probe, {
      startRate: 100,
      maxRate: 500,
      maxProbes: 20,
      maxTotalMs: 60_000,
    });
    expect(fast.probes.map((p) => p.rate)).toEqual([100, 200, 400, 500]);
    expect(fast).toMatchObject({ bestRate: 500, endReason: 'max-rate' });
    const never = await searchSloRate(slo, async (rate) => result(rate, 90_000), {
      startRate: 8,
      minRate: 2,
      maxProbes: 20,
      maxTotalMs: 60_000,
    });
    expect(never.probes.map((p) => p.rate)).toEqual([8, 4, 2]);
    expect(never).toMatchObject({ bestRate: undefined, endReason: 'nothing-passes' });
  });

  it('stops when interrupted, without judging an interrupted probe', async () => {
    const controller = new AbortController();
    const search = await searchSloRate(
      slo,
      async (rate) => {
        if (rate === 400) {
          controller.abort();
          return { ...result(rate, 1000), interrupted: true };
        }
        return result(rate, 1000);
      },
      { startRate: 100, maxProbes: 20, maxTotalMs: 60_000, signal: controller.signal },
    );
    expect(search.probes.map((p) => p.rate)).toEqual([100, 200]);
    expect(search.endReason).toBe('interrupted');
  });
});
