import { startTestServers } from '../../test/support/test-servers.js';
import { runClosedLoop } from '../load/closed-loop.js';
import { GrpcH2Driver } from './grpc-h2-driver.js';
import { RestH1Driver } from './rest-h1-driver.js';
import { grpcClientDriver, restClientDriver } from './client-drivers.js';
import { buildRequestPayload } from './request-payloads.js';
import type { Driver } from './driver.js';

const s = await startTestServers();
const host = '127.0.0.1';
for (const rpc of ['classify', 'transcribe', 'transcribe-and-classify'] as const) {
  const payload = buildRequestPayload({ rpc });
  const drivers: Driver[] = [
    new GrpcH2Driver({ host, port: s.grpcPort, payload, checkEvery: 1 }),
    new RestH1Driver({ host, port: s.restPort, payload, checkEvery: 1 }),
    ...(payload.rawWav ? [new RestH1Driver({ host, port: s.restPort, payload, checkEvery: 1, bodyForm: 'raw-wav' })] : []),
    grpcClientDriver({ host, port: s.grpcPort, payload, checkEvery: 1 }),
    restClientDriver({ host, port: s.restPort, payload, checkEvery: 1 }),
  ];
  for (const d of drivers) {
    const conns = await d.connect({ connections: 4, inFlightPerConnection: 4 });
    const r = await runClosedLoop(conns, { inFlightPerConnection: 4, warmupMs: 300, durationMs: 1000 });
    await d.close();
    console.log(rpc, d.name, JSON.stringify(r.counts), Math.round(r.throughput), r.latency.percentiles(), r.bytesWritten, r.bytesRead, 'problems' in d ? '' : '', (d as unknown as { checks: { problems: string[] } }).checks.problems);
  }
}
await s.close();
