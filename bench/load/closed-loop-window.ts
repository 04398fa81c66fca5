/**
 * What one measured window of a closed-loop run records: counts, latency and the
 * per-second timeline. Times are `performance.now()` milliseconds. As in the open loop,
 * every answer, ok or failed, has a latency; a timeout has no answer and is only counted.
 */
import { balanceProblems, emptyCounts } from '../accounting/request-counts.js';
import type { Outcome } from '../drivers/driver.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import type { BytesSnapshot } from './bytes-snapshot.js';
import type { LoadResult } from './load-result.js';
import { TimelineRecorder } from './timeline-recorder.js';

export class ClosedLoopWindow {
  readonly counts = emptyCounts();
  private readonly latency = LatencyHistogram.create();
  private readonly timeline = new TimelineRecorder();
  private inFlight = 0;
  private closed = false;

  constructor(readonly startMs: number) {}

  get requestsInFlight(): number {
    return this.inFlight;
  }

  sent(): void {
    this.counts.sent++;
    this.inFlight++;
  }

  /** A request of the window ended; ignored once the window is closed (it was counted cancelled). */
  settled(outcome: Outcome, sentMs: number, doneMs: number): void {
    if (this.closed) return;
    this.inFlight--;
    const { counts } = this;
    if (outcome.kind === 'timedOut') {
      counts.timedOut++;
      return;
    }
    if (outcome.kind === 'ok') counts.ok++;
    else {
      counts.failed++;
      counts.failedByCode[outcome.code] = (counts.failedByCode[outcome.code] ?? 0) + 1;
    }
    const us = (doneMs - sentMs) * 1000;
    this.latency.recordUs(us);
    this.timeline.record(doneMs - this.startMs, outcome.kind === 'ok', us);
  }

  /** Closes the window: what is still in flight is cancelled. Throws if the counts do not balance. */
  close(durationMs: number, bytes: BytesSnapshot): LoadResult {
    this.closed = true;
    this.counts.cancelled += this.inFlight;
    this.inFlight = 0;
    const problems = balanceProblems(this.counts);
    if (problems.length > 0) throw new Error(`closed loop lost requests: ${problems.join('; ')}`);
    const { ok, failed } = this.counts;
    return {
      counts: this.counts,
      latency: this.latency,
      durationMs,
      throughput: durationMs > 0 ? ((ok + failed) * 1000) / durationMs : 0,
      timeline: this.timeline.buckets(durationMs),
      bytesWritten: bytes.written,
      bytesRead: bytes.read,
      ...(bytes.breakdown ? { bytesBreakdown: bytes.breakdown } : {}),
    };
  }
}
