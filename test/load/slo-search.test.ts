import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceProblems } from '../../bench/accounting/request-counts.js';
import { parseSlo } from '../../bench/load/slo.js';
import { runSloSearch } from '../../bench/load/slo-search.js';
import { type LoadTarget, startLoadTarget } from './support/load-target.js';

/** One request at a time, 2.5 ms each: 400 req/s at most. */
const serviceMs = 2.5;

describe('SLO search against a server of known capacity', () => {
  let target: LoadTarget;

  beforeAll(async () => {
    // A single-server queue kept on a virtual clock, so that timer jitter does not change the
    // capacity: each request finishes serviceMs after the previous one, or after it arrives.
    let busyUntil = 0;
    target = await startLoadTarget(
      () => {
        const now = performance.now();
        busyUntil = Math.max(now, busyUntil) + serviceMs;
        return { status: 200, delayMs: busyUntil - now };
      },
      { connections: 4, path: '/capacity-400' },
    );
  });

  afterAll(() => target.close());

  it('finds a rate near the capacity, reporting every probe', async () => {
    const search = await runSloSearch(target.connections, parseSlo('p99<50ms'), {
      startRate: 150,
      maxProbes: 9,
      maxTotalMs: 20_000,
      probe: { inFlightPerConnection: 64, warmupMs: 100, durationMs: 500, graceMs: 1500, cooldownMs: 200 },
    });
    console.log(
      `SLO search p99<50ms, capacity 400 req/s: best ${search.bestRate} req/s (${search.endReason}); probes ` +
        search.probes.map((p) => `${p.rate}:${p.passed ? 'pass' : 'fail'}:${p.percentileUs}µs`).join(' '),
    );

    // Above 400 req/s the queue grows by (rate − 400) requests a second; over a 0.6 s probe its
    // last requests wait (rate − 400) × 0.6 × 2.5 ms, 50 ms at about 433 req/s. Below capacity
    // the p99 is the service time plus scheduling noise. The search's resolution is 5%.
    expect(search.bestRate).toBeGreaterThanOrEqual(200);
    expect(search.bestRate).toBeLessThanOrEqual(460);
    expect(search.firstFailingRate).toBeLessThanOrEqual(600);
    expect(search.firstFailingRate).toBeGreaterThan(search.bestRate!);
    expect(search.probes.length).toBeLessThanOrEqual(9);
    expect(search.probes[0]).toMatchObject({ rate: 150, passed: true });
    for (const probe of search.probes) expect(balanceProblems(probe.result.counts)).toEqual([]);
    // Overloaded probes show why they failed.
    expect(search.probes.filter((p) => !p.passed).every((p) => p.reasons.length > 0)).toBe(true);
  }, 30_000);
});
