import { afterEach, describe, expect, it } from 'vitest';
import { balanceProblems } from '../../bench/accounting/request-counts.js';
import { runOpenLoop } from '../../bench/load/open-loop.js';
import { type LoadTarget, stallOnce, startLoadTarget } from './support/load-target.js';
import type { Reply } from './support/test-http-server.js';

describe('open loop: every scheduled request is accounted for, by outcome and code', () => {
  let target: LoadTarget | undefined;

  async function serve(reply: (arrival: number) => Reply, connections: number, timeoutMs?: number) {
    target = await startLoadTarget(reply, {
      connections,
      path: '/accounting',
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    return target;
  }

  afterEach(async () => {
    await target?.close();
    target = undefined;
  });

  it('counts exactly the 5% of requests the server fails, by code', async () => {
    // In every block of 100 arrivals, the 20th, 40th, …, 100th fail: 5% in four codes.
    const failing: Record<number, number> = { 20: 503, 40: 429, 60: 503, 80: 500, 0: 400 };
    const { connections } = await serve((arrival) => ({ status: failing[arrival % 100] ?? 200 }), 4);
    // No warm-up, so that the server's arrival numbers are the measured requests' numbers.
    const result = await runOpenLoop(connections, {
      ratePerSecond: 1000,
      inFlightPerConnection: 2,
      warmupMs: 0,
      durationMs: 2000,
    });

    expect(balanceProblems(result.counts)).toEqual([]);
    expect(result.counts).toEqual({
      sent: 2000,
      ok: 1900,
      failed: 100,
      failedByCode: { UNAVAILABLE: 40, RESOURCE_EXHAUSTED: 20, INTERNAL: 20, INVALID_ARGUMENT: 20 },
      timedOut: 0,
      notSent: 0,
      cancelled: 0,
    });
    expect(result.latency.count).toBe(2000);
    expect(result.timeline.reduce((sum, bucket) => sum + bucket.failed, 0)).toBe(100);
  }, 20_000);

  it('drops requests that wait past maxLateMs while a stalled server holds every connection', async () => {
    // A 1.5 s stall from the 300th request on; with 2 connections × 1 request in flight, the
    // requests due during it queue, and those that waited over 200 ms are dropped as notSent.
    const { connections, server } = await serve(stallOnce(300, 1500), 2);
    const result = await runOpenLoop(connections, {
      ratePerSecond: 500,
      inFlightPerConnection: 1,
      warmupMs: 0,
      durationMs: 3000,
      maxLateMs: 200,
    });
    console.log(`stalled server: ${JSON.stringify(result.counts)}`);

    expect(balanceProblems(result.counts)).toEqual([]);
    expect(result.counts.sent).toBe(1500);
    // Due during the stall: ~750 requests; only those still within 200 ms of due when it ends
    // (~100) and the 2 on the wire get through.
    expect(result.counts.notSent).toBeGreaterThan(500);
    expect(result.counts.notSent).toBeLessThan(750);
    expect(result.counts.ok + result.counts.notSent).toBe(1500);
    expect(server.arrivals).toBe(result.counts.ok);
    expect(result.achievedRatePerSecond).toBeLessThan(500 * 0.8);
  }, 20_000);

  it('counts requests unanswered within the timeout as timedOut, not failed', async () => {
    // Every 10th request is answered after 300 ms; the connections give up after 100 ms.
    const { connections } = await serve(
      (arrival) => ({ status: 200, delayMs: arrival % 10 === 0 ? 300 : 0 }),
      8,
      100,
    );
    const result = await runOpenLoop(connections, {
      ratePerSecond: 200,
      inFlightPerConnection: 1,
      warmupMs: 0,
      durationMs: 2000,
    });

    expect(balanceProblems(result.counts)).toEqual([]);
    expect(result.counts).toEqual({
      sent: 400,
      ok: 360,
      failed: 0,
      failedByCode: {},
      timedOut: 40,
      notSent: 0,
      cancelled: 0,
    });
    // Timeouts have no answer, so they have no latency to record.
    expect(result.latency.count).toBe(360);
  }, 20_000);

  it('counts requests still in flight after the grace period as cancelled', async () => {
    // The last 10 of 200 requests are answered only after 2 s; the grace period is 300 ms.
    const { connections } = await serve(
      (arrival) => ({ status: 200, delayMs: arrival > 190 ? 2000 : 0 }),
      16,
    );
    const started = performance.now();
    const result = await runOpenLoop(connections, {
      ratePerSecond: 200,
      inFlightPerConnection: 1,
      warmupMs: 0,
      durationMs: 1000,
      graceMs: 300,
    });

    expect(performance.now() - started).toBeLessThan(1800);
    expect(balanceProblems(result.counts)).toEqual([]);
    expect(result.counts).toMatchObject({ sent: 200, ok: 190, cancelled: 10, notSent: 0, timedOut: 0 });
  }, 20_000);
});
