import { mergeCounts } from '../accounting/request-counts.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import type { TimelineBucket } from './load-result.js';
import type { OpenLoopResult } from './open-loop-result.js';

function mergedHistogram(parts: readonly LatencyHistogram[]): LatencyHistogram {
  const total = LatencyHistogram.create();
  for (const part of parts) total.add(part);
  return total;
}

/**
 * A window's late answers (during the next window or the grace period) share seconds with the next
 * window's: their counts add up, and the p99 is the larger of the two, an upper bound, since the
 * buckets keep no histogram.
 */
function addBucket(timeline: TimelineBucket[], bucket: TimelineBucket): void {
  const existing = timeline[bucket.second];
  timeline[bucket.second] =
    existing === undefined
      ? bucket
      : {
          second: bucket.second,
          completed: existing.completed + bucket.completed,
          failed: existing.failed + bucket.failed,
          p99Us: Math.max(existing.p99Us, bucket.p99Us),
        };
}

/**
 * Consecutive windows as one: counts and histograms add up exactly, rates are weighted by each
 * window's length, and each window's timeline is shifted by the whole seconds before it.
 */
export function mergeOpenLoopResults(parts: readonly OpenLoopResult[]): OpenLoopResult {
  const durationMs = parts.reduce((sum, part) => sum + part.durationMs, 0);
  const seconds = durationMs / 1000;
  const counts = mergeCounts(parts.map((part) => part.counts));
  const weightedRate = (rate: (part: OpenLoopResult) => number) =>
    durationMs > 0 ? parts.reduce((sum, part) => sum + rate(part) * part.durationMs, 0) / durationMs : 0;
  const timeline: TimelineBucket[] = [];
  let offsetMs = 0;
  for (const part of parts) {
    const offset = Math.round(offsetMs / 1000);
    for (const bucket of part.timeline) addBucket(timeline, { ...bucket, second: bucket.second + offset });
    offsetMs += part.durationMs;
  }
  // A window without a single answer leaves a gap; a chart needs its empty seconds.
  const denseTimeline = Array.from(
    { length: timeline.length },
    (_, second): TimelineBucket => timeline[second] ?? { second, completed: 0, failed: 0, p99Us: 0 },
  );
  return {
    counts,
    latency: mergedHistogram(parts.map((part) => part.latency)),
    latencyUncorrected: mergedHistogram(parts.map((part) => part.latencyUncorrected)),
    sendLag: mergedHistogram(parts.map((part) => part.sendLag)),
    durationMs,
    throughput: seconds > 0 ? (counts.ok + counts.failed) / seconds : 0,
    timeline: denseTimeline,
    bytesWritten: parts.reduce((sum, part) => sum + part.bytesWritten, 0),
    bytesRead: parts.reduce((sum, part) => sum + part.bytesRead, 0),
    targetRatePerSecond: weightedRate((part) => part.targetRatePerSecond),
    achievedRatePerSecond: weightedRate((part) => part.achievedRatePerSecond),
    interrupted: parts.some((part) => part.interrupted),
  };
}
