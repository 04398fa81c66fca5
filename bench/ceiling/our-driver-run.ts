/**
 * One run of our transport driver in a process of its own, so that it can be pinned to
 * a core like h2load and wrk are, and starts as fresh as they do. Prints one JSON line
 * (after a `connected` line when gated, see our-driver-child.ts).
 *
 *   node --import tsx bench/ceiling/our-driver-run.ts '{"driver":"grpc-h2","port":…,…}'
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Driver } from '../drivers/driver.js';
import { GrpcH2Driver } from '../drivers/grpc-h2-driver.js';
import { GrpcNodeHttp2Driver } from '../drivers/grpc-node-http2-driver.js';
import { connectExchange, grpcWebExchange } from '../drivers/h1-exchanges.js';
import { buildRequestPayload } from '../drivers/request-payloads.js';
import { RestH1Driver } from '../drivers/rest-h1-driver.js';
import { runClosedLoop } from '../load/closed-loop.js';
import type { OurRunRequest, OurRunResult } from './ceiling-types.js';

const request = JSON.parse(process.argv[2] ?? '{}') as OurRunRequest;
const payload = buildRequestPayload({ rpc: 'classify' });
const options = { host: '127.0.0.1', port: request.port, payload, checkEvery: request.checkEvery };
const drivers = {
  'grpc-h2': () => new GrpcH2Driver(options),
  'grpc-node-h2': () => new GrpcNodeHttp2Driver(options),
  'rest-h1': () => new RestH1Driver(options),
  'connect-json-h1': () => new RestH1Driver({ ...options, exchange: connectExchange(payload, 'json') }),
  'connect-proto-h1': () => new RestH1Driver({ ...options, exchange: connectExchange(payload, 'proto') }),
  'grpc-web-h1': () => new RestH1Driver({ ...options, exchange: grpcWebExchange(payload) }),
};
const driver: Driver & { checks: { problems: string[] } } = drivers[request.driver]();
const connections = await driver.connect({
  connections: request.connections,
  inFlightPerConnection: request.inFlightPerConnection,
});
if (request.gated) {
  process.stdout.write(`${JSON.stringify({ event: 'connected' })}\n`);
  await once(createInterface({ input: process.stdin }), 'line');
}
// CPU over the measured window only, as the throughput is.
let cpuAtStart = process.cpuUsage();
let cpuInWindow = { user: 0, system: 0 };
setTimeout(() => {
  cpuAtStart = process.cpuUsage();
}, request.warmupMs);
setTimeout(() => {
  cpuInWindow = process.cpuUsage(cpuAtStart);
}, request.warmupMs + request.durationMs);
const result = await runClosedLoop(connections, {
  inFlightPerConnection: request.inFlightPerConnection,
  warmupMs: request.warmupMs,
  durationMs: request.durationMs,
});
await driver.close();
process.stdin.destroy();
const answer: OurRunResult = {
  requestsPerSecond: result.throughput,
  counts: result.counts,
  p50Us: result.latency.percentiles().p50,
  p99Us: result.latency.percentiles().p99,
  problems: driver.checks.problems,
  cpuBusy: (cpuInWindow.user + cpuInWindow.system) / (request.durationMs * 1000),
};
process.stdout.write(`${JSON.stringify(answer)}\n`);
