import type { RequestCounts } from '../accounting/request-counts.js';
import { buildRequestPayload, type RequestPayload } from '../drivers/request-payloads.js';
import { runClosedLoop } from '../load/closed-loop.js';
import { driverFor } from '../run/driver-for-variant.js';
import type { RunServer } from '../run/run-server.js';

/** What one repetition measured: throughput, median and tail latency and throughput per second. */
export interface RepetitionFigures {
  readonly rps: number;
  readonly p50Us: number;
  /** Absent in calibration files written before it was recorded. */
  readonly p99Us?: number;
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

const classify = buildRequestPayload({ rpc: 'classify' });

/** One closed-loop repetition over grpc against `server` (classify unless told), as `run` measures one (new connections, warm-up, window). */
export async function measureRepetition(
  server: RunServer,
  shape: RepetitionShape,
  payload: RequestPayload = classify,
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
      p99Us: result.latency.percentiles().p99,
      perSecond: result.timeline.map((bucket) => bucket.completed),
      failed: result.counts.failed + result.counts.timedOut,
      counts: result.counts,
    };
  } finally {
    await driver.close();
  }
}
