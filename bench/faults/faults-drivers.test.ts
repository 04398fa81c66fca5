/**
 * Each fault through the proxy, against the real gRPC and REST servers on loopback,
 * driven by the transport drivers: the outcome bench/faults/README.md documents, and
 * every request accounted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceProblems } from '../accounting/request-counts.js';
import { driverCases } from '../drivers/driver-cases.js';
import { type RealServers, startRealServers } from '../drivers/driver-test-servers.js';
import { buildRequestPayload } from '../drivers/request-payloads.js';
import { runClosedLoop } from '../load/closed-loop.js';
import type { LoadResult } from '../load/load-result.js';
import { FaultProxy } from './fault-proxy.js';
import { FaultSchedule } from './fault-schedule.js';
import type { FaultWindow, ScheduledFault } from './fault-spec.js';
import { OutageRecorder, type OutageSummary } from './outage-recorder.js';

const payload = buildRequestPayload({ rpc: 'classify' });
const protocols = driverCases.filter((c) => c.name === 'grpc-h2' || c.name === 'rest-h1');

let servers: RealServers;
beforeAll(async () => {
  servers = await startRealServers();
});
afterAll(async () => {
  await servers?.close();
});

interface FaultRun {
  readonly result: LoadResult;
  readonly outage: OutageSummary;
  readonly windows: FaultWindow[];
  readonly checkProblems: readonly string[];
}

/** One closed loop (2 connections, 1 in flight each) through a proxy running `faults`; a 2 s deadline unless a test is about deadlines. */
async function runWithFaults(
  driverCase: (typeof protocols)[number],
  faults: readonly ScheduledFault[],
  { durationMs = 1_000, timeoutMs = 2_000 } = {},
): Promise<FaultRun> {
  const proxy = await FaultProxy.start({
    upstreamHost: '127.0.0.1',
    upstreamPort: servers.portOf(driverCase.server),
  });
  const driver = driverCase.make(proxy.port, payload, { timeoutMs, checkEvery: 1 });
  const schedule = new FaultSchedule(proxy, faults);
  const recorder = new OutageRecorder();
  try {
    const connections = recorder.wrap(await driver.connect({ connections: 2, inFlightPerConnection: 1 }));
    recorder.start();
    schedule.start();
    const result = await runClosedLoop(connections, {
      inFlightPerConnection: 1,
      warmupMs: 0,
      durationMs,
      graceMs: 1_000,
    });
    const windows = await schedule.stop();
    expect(schedule.failures).toEqual([]);
    expect(balanceProblems(result.counts)).toEqual([]);
    return { result, outage: recorder.summary(), windows, checkProblems: driver.checks.problems };
  } finally {
    await driver.close();
    await proxy.close();
  }
}

const p50Ms = (run: FaultRun) => run.result.latency.percentiles().p50 / 1000;
const onlyFailures = (run: FaultRun) => Object.keys(run.outage.failuresByCause).sort();

describe.each(protocols)('faults through the proxy: $name', (driverCase) => {
  it('latency 100±20 ms downstream: every request succeeds, about 100 ms slower', async () => {
    const run = await runWithFaults(driverCase, [
      { atMs: 0, direction: 'downstream', fault: { type: 'latency', latencyMs: 100, jitterMs: 20 } },
    ]);
    expect(run.result.counts.failed + run.result.counts.timedOut).toBe(0);
    expect(run.result.counts.ok).toBeGreaterThan(5);
    expect(p50Ms(run)).toBeGreaterThanOrEqual(78);
    expect(p50Ms(run)).toBeLessThan(400);
    expect(run.windows).toMatchObject([
      { type: 'latency', direction: 'downstream', startMs: expect.any(Number) },
    ]);
  });

  it('bandwidth 4 kB/s upstream: every request succeeds, slowed by its size over the rate', async () => {
    const run = await runWithFaults(driverCase, [
      { atMs: 0, direction: 'upstream', fault: { type: 'bandwidth', rateKBps: 4 } },
    ]);
    expect(run.result.counts.failed + run.result.counts.timedOut).toBe(0);
    expect(run.result.counts.ok).toBeGreaterThan(2);
    const bytesPerRequest = run.result.bytesWritten / run.result.counts.sent;
    expect(p50Ms(run)).toBeGreaterThanOrEqual((bytesPerRequest / 4) * 0.8);
  });

  it('slicer both ways: requests and answers in pieces of 7±3 bytes still succeed and check', async () => {
    const slicer = { type: 'slicer', averageSize: 7, sizeVariation: 3, delayMs: 1 } as const;
    const run = await runWithFaults(driverCase, [
      { atMs: 0, direction: 'upstream', fault: slicer },
      { atMs: 0, direction: 'downstream', fault: slicer },
    ]);
    expect(run.result.counts.failed + run.result.counts.timedOut).toBe(0);
    expect(run.result.counts.ok).toBeGreaterThan(2);
    expect(run.checkProblems).toEqual([]);
  });

  it('limit_data 1500 bytes downstream: connections close under load, UNAVAILABLE/connection-closed, new ones carry on', async () => {
    const run = await runWithFaults(driverCase, [
      { atMs: 0, direction: 'downstream', fault: { type: 'limit_data', bytes: 1500 } },
    ]);
    const { counts } = run.result;
    expect(counts.ok).toBeGreaterThan(2);
    expect(counts.failed).toBeGreaterThan(0);
    expect(Object.keys(counts.failedByCode)).toEqual(['UNAVAILABLE']);
    expect(onlyFailures(run)).toEqual(['UNAVAILABLE/connection-closed']);
    expect(run.checkProblems).toEqual([]);
  });

  it('timeout (blackhole) upstream from 300 ms: requests end at their deadline as timedOut', async () => {
    const run = await runWithFaults(
      driverCase,
      [{ atMs: 300, direction: 'upstream', fault: { type: 'timeout', timeoutMs: 0 } }],
      { timeoutMs: 300 },
    );
    const { counts } = run.result;
    expect(counts.ok).toBeGreaterThan(2);
    expect(counts.timedOut).toBeGreaterThanOrEqual(2);
    expect(counts.failed).toBe(0);
    // A request sent just before the fault went on can be caught by it: its deadline ends a little before 600 ms.
    expect(run.outage.firstFailureMs).toBeGreaterThanOrEqual(300 + 300 - 100);
    expect(run.outage.recoveredMs).toBeUndefined();
  });

  it('reset_peer downstream from 300 to 600 ms: UNAVAILABLE/connection-reset, then recovery', async () => {
    const run = await runWithFaults(driverCase, [
      { atMs: 300, untilMs: 600, direction: 'downstream', fault: { type: 'reset_peer', timeoutMs: 0 } },
    ]);
    const { counts } = run.result;
    expect(Object.keys(counts.failedByCode)).toEqual(['UNAVAILABLE']);
    expect(run.outage.failuresByCause['UNAVAILABLE/connection-reset']).toBeGreaterThan(0);
    expect(counts.timedOut).toBe(0);
    expect(run.outage.firstFailureMs).toBeGreaterThanOrEqual(290);
    expect(run.outage.recoveredMs).toBeGreaterThanOrEqual(595);
    expect(run.outage.recoveredMs).toBeLessThan(1_000);
  });

  it('slow_close downstream: keep-alive requests do not notice it', async () => {
    const run = await runWithFaults(driverCase, [
      { atMs: 0, direction: 'downstream', fault: { type: 'slow_close', delayMs: 500 } },
    ]);
    expect(run.result.counts.failed + run.result.counts.timedOut).toBe(0);
    expect(run.result.counts.ok).toBeGreaterThan(20);
  });

  it('down from 300 to 600 ms: UNAVAILABLE (connections closed, then refused), then recovery', async () => {
    const run = await runWithFaults(driverCase, [
      { atMs: 300, untilMs: 600, direction: 'downstream', fault: { type: 'down' } },
    ]);
    const { counts } = run.result;
    expect(Object.keys(counts.failedByCode)).toEqual(['UNAVAILABLE']);
    expect(run.outage.failuresByCause['UNAVAILABLE/connection-refused']).toBeGreaterThan(0);
    expect(counts.timedOut).toBe(0);
    expect(run.outage.recoveredMs).toBeGreaterThanOrEqual(595);
    expect(run.outage.recoveredMs).toBeLessThan(1_000);
    expect(run.windows[0]!.endMs).toBeGreaterThanOrEqual(599);
  });
});
