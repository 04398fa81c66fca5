/** Per-second buckets of a measured window, by the time each answer arrived. */
import { LatencyHistogram } from '../stats/latency-histogram.js';
import type { TimelineBucket } from './load-result.js';

interface Bucket {
  completed: number;
  failed: number;
  latency: LatencyHistogram | undefined;
}

export class TimelineRecorder {
  private readonly seconds: Bucket[] = [];

  /** An answer `sinceStartMs` into the window; only successful answers carry a latency, as in the totals. */
  record(sinceStartMs: number, ok: boolean, latencyUs: number): void {
    const second = Math.max(0, Math.floor(sinceStartMs / 1000));
    while (this.seconds.length <= second) this.seconds.push({ completed: 0, failed: 0, latency: undefined });
    const bucket = this.seconds[second]!;
    bucket.completed++;
    if (!ok) {
      bucket.failed++;
      return;
    }
    bucket.latency ??= LatencyHistogram.create();
    bucket.latency.recordUs(latencyUs);
  }

  /** One bucket per started second of the window; answers that arrived after it (in the grace period) join the last. */
  buckets(windowMs: number): TimelineBucket[] {
    const count = Math.max(1, Math.ceil(windowMs / 1000));
    const merged: Bucket[] = Array.from({ length: count }, () => ({
      completed: 0,
      failed: 0,
      latency: undefined,
    }));
    for (const [second, bucket] of this.seconds.entries()) {
      const into = merged[Math.min(second, count - 1)]!;
      into.completed += bucket.completed;
      into.failed += bucket.failed;
      if (bucket.latency) {
        into.latency ??= LatencyHistogram.create();
        into.latency.add(bucket.latency);
      }
    }
    return merged.map((bucket, second) => ({
      second,
      completed: bucket.completed,
      failed: bucket.failed,
      p99Us: bucket.latency ? bucket.latency.percentiles().p99 : 0,
    }));
  }
}
