import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceProblems } from '../../bench/accounting/request-counts.js';
import { runOpenLoop } from '../../bench/load/open-loop.js';
import { type LoadTarget, startLoadTarget } from './support/load-target.js';

describe('open loop: rate accuracy against a real server', () => {
  let target: LoadTarget;

  beforeAll(async () => {
    target = await startLoadTarget(() => ({ status: 200 }), { connections: 8, path: '/cheap' });
  });

  afterAll(() => target.close());

  it('holds 2,000 req/s for 10 s within 1%, sending every scheduled request', async () => {
    const result = await runOpenLoop(target.connections, {
      ratePerSecond: 2000,
      inFlightPerConnection: 4,
      warmupMs: 1000,
      durationMs: 10_000,
    });
    const lag = result.sendLag.percentiles();
    console.log(
      `open loop 2,000 req/s: achieved ${result.achievedRatePerSecond.toFixed(1)} req/s, ` +
        `send lag p50 ${lag.p50} µs p99 ${lag.p99} µs max ${lag.max} µs, ` +
        `corrected p99 ${result.latency.percentiles().p99} µs, per second ${result.timeline.map((b) => b.completed).join(' ')}`,
    );

    expect(balanceProblems(result.counts)).toEqual([]);
    // The schedule is fixed in advance: exactly rate × duration measured requests, warm-up apart.
    expect(result.counts.sent).toBe(20_000);
    expect(target.server.arrivals).toBe(22_000);
    expect(result.counts.notSent).toBe(0);
    expect(result.counts.ok).toBe(20_000);
    expect(Math.abs(result.achievedRatePerSecond - 2000) / 2000).toBeLessThan(0.01);
    // Bytes are the measured window's own: exactly its 20,000 requests, none of the warm-up's.
    expect(result.bytesWritten).toBe(20_000 * target.connections[0]!.requestBytes);
    expect(result.bytesRead).toBeGreaterThan(0);
    // No bunching at the scale of seconds: every full second carries about its share. Loose,
    // because a pause of the event loop (GC, a busy CI machine) moves sends, and so answers, from
    // one second to the next, which the catch-up then repays.
    for (const bucket of result.timeline.slice(0, 10)) {
      expect(Math.abs(bucket.completed - 2000)).toBeLessThan(500);
    }
  }, 30_000);
});
