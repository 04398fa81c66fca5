import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceProblems } from '../../bench/accounting/request-counts.js';
import { runOpenLoop } from '../../bench/load/open-loop.js';
import { type LoadTarget, startLoadTarget } from './support/load-target.js';

describe('open loop: interrupted', () => {
  let target: LoadTarget;

  beforeAll(async () => {
    // Every answer takes 50 ms, so about 25 requests are in flight at any moment.
    target = await startLoadTarget(() => ({ status: 200, delayMs: 50 }), {
      connections: 8,
      path: '/slowish',
    });
  });

  afterAll(() => target.close());

  it('stops at once, cancels what is in flight, and still balances', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1000);
    const started = performance.now();
    const result = await runOpenLoop(target.connections, {
      ratePerSecond: 500,
      inFlightPerConnection: 8,
      warmupMs: 0,
      durationMs: 10_000,
      signal: controller.signal,
    });

    expect(performance.now() - started).toBeLessThan(1500);
    expect(result.interrupted).toBe(true);
    expect(balanceProblems(result.counts)).toEqual([]);
    expect(result.durationMs).toBeGreaterThan(900);
    expect(result.durationMs).toBeLessThan(1200);
    // Only what was scheduled before the abort counts as sent.
    expect(result.counts.sent).toBeGreaterThan(450);
    expect(result.counts.sent).toBeLessThan(600);
    expect(result.counts.cancelled).toBeGreaterThan(0);
    expect(result.counts.ok + result.counts.cancelled).toBe(result.counts.sent);
  }, 20_000);

  it('returns an empty, balanced result when aborted before it starts', async () => {
    const result = await runOpenLoop(target.connections, {
      ratePerSecond: 500,
      inFlightPerConnection: 1,
      warmupMs: 0,
      durationMs: 1000,
      signal: AbortSignal.abort(),
    });
    expect(result.counts.sent).toBe(0);
    expect(result.interrupted).toBe(true);
    expect(result.durationMs).toBe(0);
  });
});
