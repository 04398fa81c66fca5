import type { RequestCounts } from '../accounting/request-counts.js';
import type { ByteBreakdown } from '../drivers/byte-breakdown.js';
import type { LatencyHistogram } from '../stats/latency-histogram.js';

/** One second of a run, for the over-time charts. */
export interface TimelineBucket {
  /** Seconds since the measured window began. */
  readonly second: number;
  readonly completed: number;
  readonly failed: number;
  readonly p99Us: number;
}

/** What a load model reports for the measured window of one run (warm-up excluded). */
export interface LoadResult {
  readonly counts: RequestCounts;
  /**
   * Closed loop: from send to answer. Open loop: from the intended send time to the
   * answer (corrected for coordinated omission).
   */
  readonly latency: LatencyHistogram;
  /** Open loop only: from the actual send to the answer (what a naive tool reports). */
  readonly latencyUncorrected?: LatencyHistogram;
  /** Length of the measured window, in milliseconds. */
  readonly durationMs: number;
  /** Answers (ok or failed) per second over the window. */
  readonly throughput: number;
  readonly timeline: readonly TimelineBucket[];
  readonly bytesWritten: number;
  readonly bytesRead: number;
  /** The window's bytes by part, where every connection's driver counts them. */
  readonly bytesBreakdown?: ByteBreakdown;
}
