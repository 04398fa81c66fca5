/**
 * What every driver offers the load models: connections that send one request at a
 * time each (or several, up to the in-flight limit), and an outcome per request.
 * Drivers never decide when to send; load models (bench/load) do.
 */

import type { ByteBreakdown } from './byte-breakdown.js';

/** How one request ended. `code` is a gRPC code name for every protocol (HTTP statuses are mapped). */
export type Outcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'failed'; readonly code: string; readonly cause?: FailureCause }
  | { readonly kind: 'timedOut' };

/**
 * What a transport driver saw of a failure below the protocol (code UNAVAILABLE): the
 * connection refused (nothing listening), reset (TCP RST), closed (FIN, or lost without
 * an error); an HTTP/2 GOAWAY that refused the stream, or the stream reset (RST_STREAM).
 */
export type FailureCause =
  | 'connection-refused'
  | 'connection-reset'
  | 'connection-closed'
  | 'goaway'
  | 'stream-reset';

/** The cause of a socket's end, from its last error code. */
export function socketFailureCause(errorCode: string | undefined): FailureCause {
  if (errorCode === 'ECONNREFUSED') return 'connection-refused';
  if (errorCode === 'ECONNRESET' || errorCode === 'EPIPE') return 'connection-reset';
  return 'connection-closed';
}

export interface DriverConnection {
  /**
   * Sends one request and resolves when its answer has been received and checked.
   * Never rejects: transport failures are `failed` outcomes with a code
   * (UNAVAILABLE for refused/reset), a passed timeout is `timedOut`.
   */
  send(): Promise<Outcome>;
  /** Bytes written to and read from the socket so far (0 where the driver cannot see its socket). */
  readonly bytesWritten: number;
  readonly bytesRead: number;
  /**
   * The same bytes split into body, framing, headers and control (byte-breakdown.ts),
   * adding up to `bytesWritten` and `bytesRead`; absent where the driver does not build
   * and parse the protocol itself.
   */
  readonly bytes?: ByteBreakdown;
}

export interface ConnectionPolicy {
  /** Separate TCP connections. */
  readonly connections: number;
  /** Requests in flight on each connection at most (HTTP/2 streams, HTTP/1.1 pipelining depth). */
  readonly inFlightPerConnection: number;
}

export type DriverFamily = 'transport' | 'client';

export interface Driver {
  /** For example `grpc-h2`, `rest-h1`, `grpc-client`, `rest-client`. */
  readonly name: string;
  /** Transport drivers measure the protocol; client drivers include a client library's own cost. */
  readonly family: DriverFamily;
  /** Opens the connections (all of them before any load starts). */
  connect(policy: ConnectionPolicy): Promise<DriverConnection[]>;
  close(): Promise<void>;
}
