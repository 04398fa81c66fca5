/** Per-second buckets of a measured window (closed or open loop), by the time each answer arrived. */
import { LatencyHistogram } from '../stats/latency-histogram.js';
import type { TimelineBucket } from './load-result.js';

interface Bucket {
  completed: number;
  failed: number;
  latency: LatencyHistogram | undefined;
}

export class TimelineRecorder {
  private readonly seconds: Bucket[] = [];

  /** An answer (ok or failed) `sinceStartMs` into the window. */
  record(sinceStartMs: number, ok: boolean, latencyUs: number): void {
    const second = Math.max(0, Math.floor(sinceStartMs / 1000));
    while (this.seconds.length <= second) this.seconds.push({ completed: 0, failed: 0, latency: undefined });
    const bucket = this.seconds[second]!;
    bucket.completed++;
    if (!ok) bucket.failed++;
    bucket.latency ??= LatencyHistogram.create();
    bucket.latency.recordUs(latencyUs);
  }

  /**
   * One bucket per started second of the window, and, as in the open loop, further
   * seconds for answers that arrived after it (in the grace period).
   */
  buckets(windowMs: number): TimelineBucket[] {
    const count = Math.max(1, Math.ceil(windowMs / 1000), this.seconds.length);
    return Array.from({ length: count }, (_, second) => {
      const bucket = this.seconds[second];
      return {
        second,
        completed: bucket?.completed ?? 0,
        failed: bucket?.failed ?? 0,
        p99Us: bucket?.latency ? bucket.latency.percentiles().p99 : 0,
      };
    });
  }
}
