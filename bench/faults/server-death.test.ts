/**
 * A server process killed outright (SIGKILL) in the middle of a run and started again on
 * its port: the driver keeps going, its failures are classified, and it recovers.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { balanceProblems } from '../accounting/request-counts.js';
import { driverCases } from '../drivers/driver-cases.js';
import { startRealServers } from '../drivers/driver-test-servers.js';
import { buildRequestPayload } from '../drivers/request-payloads.js';
import { runClosedLoop } from '../load/closed-loop.js';
import { ServerProcess } from '../run/server-process.js';
import { OutageRecorder } from './outage-recorder.js';

const payload = buildRequestPayload({ rpc: 'classify' });
const protocols = driverCases.filter((c) => c.name === 'grpc-h2' || c.name === 'rest-h1');
const killAtMs = 500;

describe.each(protocols)('server killed and restarted: $name', (driverCase) => {
  it('fails UNAVAILABLE (reset or closed, then refused) while down, recovers once restarted, every request accounted', async () => {
    let server = await ServerProcess.start({
      protocol: driverCase.server,
      host: '127.0.0.1',
      stt: 'reference',
      realTimeFactor: 0,
    });
    const driver = driverCase.make(server.port, payload, { timeoutMs: 1_000 });
    const recorder = new OutageRecorder();
    let restartedAtMs = 0;
    let restarting: Promise<void> | undefined;
    try {
      const connections = recorder.wrap(await driver.connect({ connections: 2, inFlightPerConnection: 2 }));
      recorder.start();
      const start = performance.now();
      // The run ends half a second after the server is back, however long its start-up took.
      const stop = new AbortController();
      const timer = setTimeout(() => {
        restarting = (async () => {
          await server.kill();
          server = await server.restart();
          restartedAtMs = performance.now() - start;
          setTimeout(() => stop.abort(), 500);
        })();
      }, killAtMs);
      const result = await runClosedLoop(connections, {
        inFlightPerConnection: 2,
        warmupMs: 0,
        durationMs: 25_000,
        graceMs: 1_000,
        signal: stop.signal,
      });
      clearTimeout(timer);
      await restarting;
      const outage = recorder.summary();
      const { counts } = result;
      expect(balanceProblems(counts)).toEqual([]);
      expect(Object.keys(counts.failedByCode)).toEqual(['UNAVAILABLE']);
      expect(counts.timedOut).toBe(0);
      const causes = Object.keys(outage.failuresByCause);
      expect(outage.failuresByCause['UNAVAILABLE/connection-refused']).toBeGreaterThan(0);
      expect(causes.every((cause) => /^UNAVAILABLE\/connection-(refused|reset|closed)$/.test(cause))).toBe(
        true,
      );
      expect(restartedAtMs).toBeGreaterThan(killAtMs);
      expect(outage.firstFailureMs).toBeGreaterThanOrEqual(killAtMs - 5);
      expect(outage.lastFailureMs).toBeLessThanOrEqual(restartedAtMs + 50);
      expect(outage.recoveredMs).toBeGreaterThanOrEqual(restartedAtMs - 200);
      expect(outage.recoveredMs).toBeLessThan(restartedAtMs + 500);
      console.info(
        `${driverCase.name}: killed at ${killAtMs} ms, listening again at ${Math.round(restartedAtMs)} ms, ` +
          `recovered at ${outage.recoveredMs} ms; ${JSON.stringify(outage.failuresByCause)}; ok ${counts.ok}`,
      );
    } finally {
      await driver.close();
      await restarting?.catch(() => {});
      await server.stop();
    }
  }, 40_000);
});

describe.each(protocols)('server closed gracefully: $name', (driverCase) => {
  it('the failures say how: GOAWAY on HTTP/2, closed connections on HTTP/1.1, then refused', async () => {
    const servers = await startRealServers();
    const driver = driverCase.make(servers.portOf(driverCase.server), payload, { timeoutMs: 1_000 });
    const recorder = new OutageRecorder();
    let closing: Promise<void> | undefined;
    try {
      const connections = recorder.wrap(await driver.connect({ connections: 2, inFlightPerConnection: 4 }));
      recorder.start();
      const timer = setTimeout(() => {
        closing = servers.closeOne(driverCase.server);
      }, 200);
      const result = await runClosedLoop(connections, {
        inFlightPerConnection: 4,
        warmupMs: 0,
        durationMs: 500,
        graceMs: 1_000,
      });
      clearTimeout(timer);
      expect(balanceProblems(result.counts)).toEqual([]);
      const causes = recorder.summary().failuresByCause;
      console.info(`${driverCase.name}: ${JSON.stringify(causes)}`);
      expect(causes['UNAVAILABLE/connection-refused']).toBeGreaterThan(0);
      if (driverCase.name === 'grpc-h2') expect(causes['UNAVAILABLE/goaway']).toBeGreaterThan(0);
    } finally {
      await driver.close();
      await closing;
      await servers.close();
    }
  });
});
