import type { RequestCounts } from '../accounting/request-counts.js';
import { buildRequestPayload } from '../drivers/request-payloads.js';
import { runClosedLoop } from '../load/closed-loop.js';
import { driverFor } from '../run/driver-for-variant.js';
import type { RunServer } from '../run/run-server.js';

/** What one repetition measured: throughput, median latency and throughput per second. */
export interface RepetitionFigures {
  readonly rps: number;
  readonly p50Us: number;
  readonly perSecond: readonly number[];
  readonly failed: number;
  readonly counts: RequestCounts;
}

export interface RepetitionShape {
  readonly warmupMs: number;
  readonly durationMs: number;
  /** The quick suite's classify: 2 connections, 16 in flight. */
  readonly connections: number;
  readonly concurrency: number;
}

const payload = buildRequestPayload({ rpc: 'classify' });

/** One closed-loop repetition of classify over grpc against `server`, as `run` measures one (new connections, warm-up, window). */
export async function measureRepetition(
  server: RunServer,
  shape: RepetitionShape,
): Promise<RepetitionFigures> {
  const driver = driverFor('grpc', 'transport', {
    host: server.host,
    port: server.port,
    payload,
    timeoutMs: 10_000,
  });
  const inFlightPerConnection = Math.ceil(shape.concurrency / shape.connections);
  try {
    const connections = await driver.connect({ connections: shape.connections, inFlightPerConnection });
    const result = await runClosedLoop(connections, {
      inFlightPerConnection,
      warmupMs: shape.warmupMs,
      durationMs: shape.durationMs,
    });
    return {
      rps: result.throughput,
      p50Us: result.latency.percentiles().p50,
      perSecond: result.timeline.map((bucket) => bucket.completed),
      failed: result.counts.failed + result.counts.timedOut,
      counts: result.counts,
    };
  } finally {
    await driver.close();
  }
}
