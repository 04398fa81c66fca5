import type { LatencyHistogram } from '../stats/latency-histogram.js';
import type { LoadResult } from './load-result.js';

/** What an open-loop window reports on top of every load model's result. */
export interface OpenLoopResult extends LoadResult {
  /** From the actual send to the answer: what a tool that ignores coordinated omission reports. */
  readonly latencyUncorrected: LatencyHistogram;
  readonly targetRatePerSecond: number;
  /**
   * Requests of this window actually sent while the window lasted, per second of it.
   * Requests dropped as `notSent`, or sent only after the window had ended, lower it.
   */
  readonly achievedRatePerSecond: number;
  /** Actual send time minus intended send time, in µs: how late the scheduler (or a full queue) made each send. */
  readonly sendLag: LatencyHistogram;
  /** The run was stopped by its abort signal before this window's end. */
  readonly interrupted: boolean;
}
