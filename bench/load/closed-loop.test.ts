import { describe, expect, it } from 'vitest';
import { balanceProblems } from '../accounting/request-counts.js';
import type { DriverConnection, Outcome } from '../drivers/driver.js';
import { runClosedLoop } from './closed-loop.js';

/** A connection that answers after `delayMs` with the outcomes given in turn; `hang` never answers. */
class FakeConnection implements DriverConnection {
  sends = 0;
  bytesWritten = 0;
  bytesRead = 0;

  constructor(
    private readonly answer: (n: number) => { outcome: Outcome; delayMs: number } | 'hang' | 'now',
  ) {}

  send(): Promise<Outcome> {
    const n = this.sends++;
    this.bytesWritten += 100;
    const plan = this.answer(n);
    if (plan === 'hang') return new Promise(() => {});
    if (plan === 'now') return Promise.resolve({ kind: 'failed', code: 'UNAVAILABLE' });
    return new Promise((resolve) =>
      setTimeout(() => {
        this.bytesRead += 10;
        resolve(plan.outcome);
      }, plan.delayMs),
    );
  }
}

const ok: Outcome = { kind: 'ok' };

describe('runClosedLoop', () => {
  it('keeps the in-flight count, counts only the window, and balances', async () => {
    const connections = [0, 1].map(() => new FakeConnection(() => ({ outcome: ok, delayMs: 5 })));
    const result = await runClosedLoop(connections, {
      inFlightPerConnection: 3,
      warmupMs: 100,
      durationMs: 400,
    });
    const { counts } = result;
    expect(balanceProblems(counts)).toEqual([]);
    expect(counts.ok).toBeGreaterThan(20);
    expect(counts.failed + counts.timedOut + counts.notSent).toBe(0);
    // Warm-up requests were sent but not counted.
    const allSends = connections.reduce((sum, c) => sum + c.sends, 0);
    expect(allSends).toBeGreaterThan(counts.sent);
    expect(result.durationMs).toBeGreaterThan(350);
    expect(result.durationMs).toBeLessThan(600);
    expect(result.latency.count).toBe(counts.ok);
    const { p50, max } = result.latency.percentiles();
    expect(p50).toBeGreaterThanOrEqual(4_000);
    expect(max).toBeLessThan(200_000);
    // 6 in flight at ~5 ms each: at most ~1200 answers a second.
    expect(result.throughput).toBeGreaterThan(100);
    expect(result.throughput).toBeLessThan(1_500);
    expect(result.timeline.length).toBeGreaterThanOrEqual(1);
    expect(result.timeline.reduce((sum, bucket) => sum + bucket.completed, 0)).toBe(counts.ok);
    expect(result.bytesWritten).toBeGreaterThan(0);
    expect(result.bytesRead).toBeGreaterThan(0);
  });

  it('records failures by code and timeouts; every answer, ok or failed, has a latency', async () => {
    const outcomes: Outcome[] = [ok, { kind: 'failed', code: 'INTERNAL' }, { kind: 'timedOut' }];
    const connection = new FakeConnection((n) => ({ outcome: outcomes[n % 3]!, delayMs: 2 }));
    const result = await runClosedLoop([connection], {
      inFlightPerConnection: 1,
      warmupMs: 0,
      durationMs: 300,
    });
    const { counts } = result;
    expect(balanceProblems(counts)).toEqual([]);
    expect(counts.ok).toBeGreaterThan(5);
    expect(counts.failedByCode.INTERNAL).toBe(counts.failed);
    expect(counts.timedOut).toBeGreaterThan(5);
    expect(result.latency.count).toBe(counts.ok + counts.failed);
  });

  it('counts requests still unanswered after the grace period as cancelled', async () => {
    const connections = [0, 1].map(() => new FakeConnection(() => 'hang'));
    const started = Date.now();
    const result = await runClosedLoop(connections, {
      inFlightPerConnection: 3,
      warmupMs: 0,
      durationMs: 100,
      graceMs: 50,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.counts).toMatchObject({ sent: 6, cancelled: 6, ok: 0 });
    expect(balanceProblems(result.counts)).toEqual([]);
    expect(result.throughput).toBe(0);
  });

  it('stops early when aborted and reports the shorter window', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const connection = new FakeConnection(() => ({ outcome: ok, delayMs: 3 }));
    const started = Date.now();
    const result = await runClosedLoop([connection], {
      inFlightPerConnection: 2,
      warmupMs: 50,
      durationMs: 10_000,
      signal: controller.signal,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.durationMs).toBeGreaterThan(50);
    expect(result.durationMs).toBeLessThan(500);
    expect(balanceProblems(result.counts)).toEqual([]);
    expect(result.counts.ok).toBeGreaterThan(0);
  });

  it('reports nothing when aborted before the window opens', async () => {
    const controller = new AbortController();
    controller.abort();
    const connection = new FakeConnection(() => ({ outcome: ok, delayMs: 1 }));
    const result = await runClosedLoop([connection], {
      inFlightPerConnection: 1,
      warmupMs: 100,
      durationMs: 1_000,
      signal: controller.signal,
    });
    expect(result.counts.sent).toBe(0);
    expect(result.durationMs).toBe(0);
  });

  it('still ends on time when every request fails at once (a dead server)', async () => {
    const connection = new FakeConnection(() => 'now');
    const started = Date.now();
    const result = await runClosedLoop([connection], {
      inFlightPerConnection: 4,
      warmupMs: 0,
      durationMs: 200,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.counts.failedByCode.UNAVAILABLE).toBeGreaterThan(10);
    expect(balanceProblems(result.counts)).toEqual([]);
  });

  it('rejects settings that cannot run', async () => {
    const connection = new FakeConnection(() => 'hang');
    await expect(
      runClosedLoop([connection], { inFlightPerConnection: 0, warmupMs: 0, durationMs: 10 }),
    ).rejects.toThrow(/inFlightPerConnection/);
    await expect(
      runClosedLoop([], { inFlightPerConnection: 1, warmupMs: 0, durationMs: 10 }),
    ).rejects.toThrow(/at least one connection/);
  });
});
