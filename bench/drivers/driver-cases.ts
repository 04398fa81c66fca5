/** Every driver, built the same way, for the tests that run each of them through the closed loop. */

import type { ServerProtocol } from '../../servers/server-protocols.js';
import { runClosedLoop } from '../load/closed-loop.js';
import type { LoadResult } from '../load/load-result.js';
import { grpcClientDriver, restClientDriver } from './client-drivers.js';
import type { ConnectionPolicy, Driver } from './driver.js';
import { GrpcH2Driver } from './grpc-h2-driver.js';
import { GrpcNodeHttp2Driver } from './grpc-node-http2-driver.js';
import { connectExchange, grpcWebExchange } from './h1-exchanges.js';
import type { RequestPayload } from './request-payloads.js';
import { RestH1Driver } from './rest-h1-driver.js';
import { RestH2Driver } from './rest-h2-driver.js';
import type { AnswerChecks } from './transport-options.js';

export interface CaseOptions {
  readonly timeoutMs?: number;
  readonly checkEvery?: number;
  readonly bodyForm?: 'json' | 'raw-wav';
}

export type CheckedDriver = Driver & { readonly checks: AnswerChecks };

export interface DriverCase {
  readonly name: string;
  readonly server: ServerProtocol;
  /** Transport drivers see their sockets' bytes; client drivers do not. */
  readonly seesBytes: boolean;
  make(port: number, payload: RequestPayload, options?: CaseOptions): CheckedDriver;
}

const host = '127.0.0.1';

export const driverCases: readonly DriverCase[] = [
  {
    name: 'grpc-h2',
    server: 'grpc',
    seesBytes: true,
    make: (port, payload, options) => new GrpcH2Driver({ host, port, payload, ...options }),
  },
  {
    name: 'grpc-h2 → connect',
    server: 'connect',
    seesBytes: true,
    make: (port, payload, options) => new GrpcH2Driver({ host, port, payload, ...options }),
  },
  {
    name: 'grpc-node-h2',
    server: 'grpc',
    seesBytes: true,
    make: (port, payload, options) => new GrpcNodeHttp2Driver({ host, port, payload, ...options }),
  },
  {
    name: 'rest-h1',
    server: 'rest',
    seesBytes: true,
    make: (port, payload, options) => new RestH1Driver({ host, port, payload, ...options }),
  },
  {
    name: 'rest-proto-h1',
    server: 'rest',
    seesBytes: true,
    make: (port, payload, options) =>
      new RestH1Driver({ host, port, payload, bodyForm: 'protobuf', ...options }),
  },
  {
    name: 'connect-json-h1',
    server: 'web',
    seesBytes: true,
    make: (port, payload, options) =>
      new RestH1Driver({ host, port, payload, exchange: connectExchange(payload, 'json'), ...options }),
  },
  {
    name: 'connect-proto-h1',
    server: 'web',
    seesBytes: true,
    make: (port, payload, options) =>
      new RestH1Driver({ host, port, payload, exchange: connectExchange(payload, 'proto'), ...options }),
  },
  {
    name: 'grpc-web-h1',
    server: 'web',
    seesBytes: true,
    make: (port, payload, options) =>
      new RestH1Driver({ host, port, payload, exchange: grpcWebExchange(payload), ...options }),
  },
  {
    name: 'rest-h2',
    server: 'rest-h2',
    seesBytes: true,
    make: (port, payload, options) => new RestH2Driver({ host, port, payload, ...options }),
  },
  {
    name: 'grpc-client',
    server: 'grpc',
    seesBytes: false,
    make: (port, payload, options) => grpcClientDriver({ host, port, payload, ...options }),
  },
  {
    name: 'rest-client',
    server: 'rest',
    seesBytes: false,
    make: (port, payload, options) => restClientDriver({ host, port, payload, ...options }),
  },
];

export interface DriveOptions {
  readonly warmupMs?: number;
  readonly durationMs: number;
  readonly graceMs?: number;
  readonly during?: () => void;
}

/** Connects, runs one closed loop and closes the driver again. */
export async function drive(
  driver: Driver,
  policy: ConnectionPolicy,
  options: DriveOptions,
): Promise<LoadResult> {
  const connections = await driver.connect(policy);
  try {
    options.during?.();
    return await runClosedLoop(connections, {
      inFlightPerConnection: policy.inFlightPerConnection,
      warmupMs: options.warmupMs ?? 0,
      durationMs: options.durationMs,
      graceMs: options.graceMs ?? 2_000,
    });
  } finally {
    await driver.close();
  }
}
