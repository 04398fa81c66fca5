import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceProblems } from '../../bench/accounting/request-counts.js';
import { runRamp } from '../../bench/load/ramp.js';
import { runRateSweep } from '../../bench/load/rate-sweep.js';
import { type LoadTarget, startLoadTarget } from './support/load-target.js';

describe('ramps and rate sweeps against a real server', () => {
  let target: LoadTarget;

  beforeAll(async () => {
    target = await startLoadTarget(() => ({ status: 200 }), { connections: 4, path: '/ramp' });
  });

  afterAll(() => target.close());

  it('runs stages back to back, one result per stage and one merged', async () => {
    const before = target.server.arrivals;
    const ramp = await runRamp(
      target.connections,
      [
        { rate: 200, durationMs: 1000 },
        { rate: 500, durationMs: 1000 },
        { rate: 100, durationMs: 500 },
      ],
      { inFlightPerConnection: 4, warmupMs: 200 },
    );

    expect(ramp.stages.map((stage) => stage.counts.sent)).toEqual([200, 500, 50]);
    for (const stage of ramp.stages) {
      expect(balanceProblems(stage.counts)).toEqual([]);
      expect(stage.counts.ok).toBe(stage.counts.sent);
      expect(Math.abs(stage.achievedRatePerSecond - stage.stage.rate) / stage.stage.rate).toBeLessThan(0.02);
    }
    expect(target.server.arrivals - before).toBe(40 + 750);
    expect(ramp.merged.counts).toMatchObject({ sent: 750, ok: 750 });
    expect(balanceProblems(ramp.merged.counts)).toEqual([]);
    expect(ramp.merged.durationMs).toBe(2500);
    expect(ramp.merged.targetRatePerSecond).toBe(300);
    expect(ramp.merged.latency.count).toBe(750);
    // Stages follow each other on the timeline (200 answers, then 500, then 50), each
    // answer in the second it arrived: a late one (a busy machine) lands in a later
    // second, never an earlier one, so the running totals are bounded by the stages'.
    let arrived = 0;
    const runningTotals = ramp.merged.timeline.map((bucket) => (arrived += bucket.completed));
    expect(runningTotals[0]).toBeLessThanOrEqual(200);
    expect(runningTotals[0]).toBeGreaterThan(100);
    expect(runningTotals[1]).toBeGreaterThanOrEqual(200);
    expect(runningTotals[1]).toBeLessThanOrEqual(700);
    expect(runningTotals.at(-1)).toBe(750);
    expect(ramp.merged.bytesWritten).toBe(750 * target.connections[0]!.requestBytes);
  }, 20_000);

  it('runs each rate of a sweep as its own open-loop run', async () => {
    const before = target.server.arrivals;
    const steps = await runRateSweep(target.connections, [100, 400], {
      inFlightPerConnection: 2,
      warmupMs: 100,
      durationMs: 500,
      cooldownMs: 100,
    });

    expect(steps.map((step) => [step.rate, step.result.counts.sent, step.result.counts.ok])).toEqual([
      [100, 50, 50],
      [400, 200, 200],
    ]);
    expect(target.server.arrivals - before).toBe(10 + 50 + 40 + 200);
    for (const step of steps) expect(balanceProblems(step.result.counts)).toEqual([]);
  }, 20_000);
});
