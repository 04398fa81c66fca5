/**
 * The transport drivers whose bytes are counted, one per variant's way of sending, and a
 * quiet way to run a known number of calls: for the byte-accounting and capture tests.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerProtocol } from '../../servers/server-protocols.js';
import type { DriverConnection, Outcome } from './driver.js';
import { type CaseOptions, type CheckedDriver, driverCases } from './driver-cases.js';
import type { RealServers } from './driver-test-servers.js';
import type { BenchRpc, RequestPayload } from './request-payloads.js';

export interface ByteCountCase {
  /** The variant it measures (grpc-connect uses the grpc driver). */
  readonly variant: string;
  /** The server it talks to. */
  readonly server: ServerProtocol;
  readonly rpcs: readonly BenchRpc[];
  make(servers: RealServers, payload: RequestPayload, options?: CaseOptions): CheckedDriver;
}

function fromDriverCase(variant: string, name: string, rpcs: readonly BenchRpc[], bodyForm?: 'raw-wav') {
  const driverCase = driverCases.find((c) => c.name === name);
  if (!driverCase) throw new Error(`no driver case ${name}`);
  return {
    variant,
    server: driverCase.server,
    rpcs,
    make: (servers: RealServers, payload: RequestPayload, options?: CaseOptions) =>
      driverCase.make(servers.portOf(driverCase.server), payload, {
        ...options,
        ...(bodyForm ? { bodyForm } : {}),
      }),
  } satisfies ByteCountCase;
}

const both = ['classify', 'transcribe'] as const;

export const byteCountCases: readonly ByteCountCase[] = [
  fromDriverCase('grpc', 'grpc-h2', both),
  fromDriverCase('grpc-connect', 'grpc-h2 → connect', both),
  fromDriverCase('rest-json-h1', 'rest-h1', both),
  fromDriverCase('rest-proto-h1', 'rest-proto-h1', both),
  fromDriverCase('rest-binary-h1', 'rest-h1', ['transcribe'], 'raw-wav'),
  fromDriverCase('rest-json-h2', 'rest-h2', both),
];

export interface CountedCalls {
  readonly outcomes: readonly Outcome[];
  /** The connection, its calls all answered and the line quiet, still open. */
  readonly connection: DriverConnection;
}

/** One connection, `calls` calls one after another; the driver is left open for reading its counts. */
export async function runCalls(driver: CheckedDriver, calls: number): Promise<CountedCalls> {
  const [connection] = await driver.connect({ connections: 1, inFlightPerConnection: 1 });
  if (!connection) throw new Error('the driver opened no connection');
  const outcomes: Outcome[] = [];
  for (let i = 0; i < calls; i++) outcomes.push(await connection.send());
  // Control frames the server sends after its last answer (acks, window updates) arrive now.
  await sleep(50);
  return { outcomes, connection };
}
