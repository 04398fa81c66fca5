import type { RequestCounts } from '../accounting/request-counts.js';

/** What the ceiling benchmark asks of one run of our driver (see our-driver-run.ts). */
export interface OurRunRequest {
  readonly driver:
    | 'grpc-h2'
    | 'grpc-node-h2'
    | 'rest-h1'
    | 'connect-json-h1'
    | 'connect-proto-h1'
    | 'grpc-web-h1';
  readonly port: number;
  readonly connections: number;
  readonly inFlightPerConnection: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly checkEvery: number;
  /** Set by our-driver-child: connect, say so, and wait for a line on stdin before the load starts. */
  readonly gated?: boolean;
}

export interface OurRunResult {
  readonly requestsPerSecond: number;
  readonly counts: RequestCounts;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly problems: readonly string[];
  /** CPU time of the driver process over wall time: near 1 means the driver, not the server, was the limit. */
  readonly cpuBusy: number;
}

/** One measured run of either side of a pair, reduced to what the table shows. */
export interface RunMeasurement {
  readonly requestsPerSecond: number;
  /** Requests that did not succeed, as the tool counts them (errors, non-2xx, timeouts). */
  readonly unsuccessful: number;
  /** What went wrong, if anything, in the tool's words. */
  readonly notes: readonly string[];
  /** Our driver only: its share of one core over the window. */
  readonly cpuBusy?: number;
  /** The server's CPU time over the window (alternating runs only: together, both sides share it). */
  readonly serverCpuUs?: number;
}
