import type { ResourceSample } from './server-process.js';

/** A server a run drives: one it started (ServerProcess) or one already running elsewhere. */
export interface RunServer {
  readonly host: string;
  readonly port: number;
  /** The speech engine the server reports. */
  readonly engine: string;
  /** Only for a server this run started. */
  readonly pid?: number;
  /** CPU time and peak memory, where the run can read them (its own child processes). */
  sample(): ResourceSample | undefined;
  stop(): Promise<void>;
}
