/**
 * The client libraries through faults: deadlines, and retries with backoff that ride
 * out a short outage, their attempts counted apart from the requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResilienceOptions } from '../../clients/resilience.js';
import { balanceProblems } from '../accounting/request-counts.js';
import type { ClientDriverOptions } from '../drivers/client-drivers.js';
import { type ClientDriver, grpcClientDriver, restClientDriver } from '../drivers/client-drivers.js';
import { type RealServers, startRealServers } from '../drivers/driver-test-servers.js';
import { buildRequestPayload } from '../drivers/request-payloads.js';
import { runClosedLoop } from '../load/closed-loop.js';
import { FaultProxy } from './fault-proxy.js';
import { FaultSchedule } from './fault-schedule.js';
import type { ScheduledFault } from './fault-spec.js';

const payload = buildRequestPayload({ rpc: 'classify' });
const resilient: ResilienceOptions = {
  retry: {
    maxAttempts: 5,
    initialBackoffMs: 100,
    maxBackoffMs: 500,
    backoffMultiplier: 2,
    retryableCodes: ['UNAVAILABLE'],
  },
  reconnect: { initialBackoffMs: 100, maxBackoffMs: 500 },
  keepalive: { intervalMs: 1_000, timeoutMs: 500 },
};
const clients = [
  { name: 'grpc-client', server: 'grpc', make: grpcClientDriver },
  { name: 'rest-client', server: 'rest', make: restClientDriver },
] as const;

let servers: RealServers;
beforeAll(async () => {
  servers = await startRealServers();
});
afterAll(async () => {
  await servers?.close();
});

async function runClient(
  client: (typeof clients)[number],
  faults: readonly ScheduledFault[],
  options: Omit<ClientDriverOptions, 'host' | 'port' | 'payload'>,
) {
  const proxy = await FaultProxy.start({
    upstreamHost: '127.0.0.1',
    upstreamPort: servers.portOf(client.server),
  });
  const driver: ClientDriver = client.make({ host: '127.0.0.1', port: proxy.port, payload, ...options });
  const schedule = new FaultSchedule(proxy, faults);
  try {
    const connections = await driver.connect({ connections: 2, inFlightPerConnection: 1 });
    schedule.start();
    const result = await runClosedLoop(connections, {
      inFlightPerConnection: 1,
      warmupMs: 0,
      durationMs: 1_200,
      graceMs: 3_000,
    });
    await schedule.stop();
    expect(balanceProblems(result.counts)).toEqual([]);
    return { counts: result.counts, attempts: driver.attempts };
  } finally {
    await driver.close();
    await proxy.close();
  }
}

const outage: ScheduledFault[] = [
  { atMs: 300, untilMs: 600, direction: 'downstream', fault: { type: 'down' } },
];

describe.each(clients)('client resilience: $name', (client) => {
  it('retries with backoff ride out a 300 ms outage that fails requests without them', async () => {
    const bare = await runClient(client, outage, { timeoutMs: 3_000 });
    expect(bare.counts.failedByCode.UNAVAILABLE).toBeGreaterThan(0);
    expect(bare.attempts.attempts).toBe(bare.attempts.calls);

    const retried = await runClient(client, outage, { timeoutMs: 3_000, resilience: resilient });
    expect(retried.counts.ok).toBeGreaterThan(5);
    expect(retried.counts.failed * 5).toBeLessThanOrEqual(bare.counts.failed);
    expect(retried.counts.timedOut).toBe(0);
    // Retries are counted apart: more attempts than calls, and no more than five each.
    expect(retried.attempts.attempts).toBeGreaterThan(retried.attempts.calls);
    expect(retried.attempts.attempts).toBeLessThanOrEqual(retried.attempts.calls * 5);
    console.info(
      `${client.name}: without retries ok ${bare.counts.ok} failed ${bare.counts.failed}; ` +
        `with retries ok ${retried.counts.ok} failed ${retried.counts.failed}, ` +
        `${retried.attempts.attempts} attempts for ${retried.attempts.calls} calls`,
    );
  });

  it('a blackhole ends calls at their deadline (DEADLINE_EXCEEDED, not retried)', async () => {
    const run = await runClient(
      client,
      [{ atMs: 300, direction: 'upstream', fault: { type: 'timeout', timeoutMs: 0 } }],
      { timeoutMs: 300, resilience: resilient },
    );
    expect(run.counts.ok).toBeGreaterThan(2);
    expect(run.counts.timedOut).toBeGreaterThanOrEqual(2);
    expect(run.counts.failed).toBe(0);
  });
});
