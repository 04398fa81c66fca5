import { emptyCounts, type RequestCounts } from '../accounting/request-counts.js';
import type { Outcome } from '../drivers/driver.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import type { BytesSnapshot } from './bytes-snapshot.js';
import type { OpenLoopResult } from './open-loop-result.js';
import { TimelineRecorder } from './timeline-recorder.js';

/**
 * Everything one measured window of an open-loop run records. Times are `performance.now()`
 * milliseconds. Latency is recorded for every answer, ok or failed (as wrk2 does); a timeout has
 * no answer, so it is counted but not recorded.
 */
export class WindowRecorder {
  readonly counts: RequestCounts = emptyCounts();
  private readonly latency = LatencyHistogram.create();
  private readonly latencyUncorrected = LatencyHistogram.create();
  private readonly sendLag = LatencyHistogram.create();
  private readonly timeline = new TimelineRecorder();
  private inFlight = 0;
  private sentInWindow = 0;

  /** Absolute (`performance.now()`) end of the window. */
  readonly endMs: number;

  constructor(
    /** Absolute (`performance.now()`) start of the window. */
    readonly startMs: number,
    readonly durationMs: number,
    readonly targetRatePerSecond: number,
  ) {
    this.endMs = startMs + durationMs;
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  scheduled(): void {
    this.counts.sent++;
  }

  dropped(): void {
    this.counts.notSent++;
  }

  sent(intendedMs: number, sentMs: number): void {
    this.inFlight++;
    this.sendLag.recordUs((sentMs - intendedMs) * 1000);
    if (sentMs >= this.startMs && sentMs < this.endMs) this.sentInWindow++;
  }

  completed(outcome: Outcome, intendedMs: number, sentMs: number, doneMs: number): void {
    this.inFlight--;
    if (outcome.kind === 'timedOut') {
      this.counts.timedOut++;
      return;
    }
    if (outcome.kind === 'ok') {
      this.counts.ok++;
    } else {
      this.counts.failed++;
      this.counts.failedByCode[outcome.code] = (this.counts.failedByCode[outcome.code] ?? 0) + 1;
    }
    const correctedUs = (doneMs - intendedMs) * 1000;
    this.latency.recordUs(correctedUs);
    this.latencyUncorrected.recordUs((doneMs - sentMs) * 1000);
    this.timeline.record(doneMs - this.startMs, outcome.kind === 'ok', correctedUs);
  }

  /** Whatever is still in flight when the run stops is cancelled. */
  cancelInFlight(): void {
    this.counts.cancelled += this.inFlight;
    this.inFlight = 0;
  }

  result(window: { durationMs: number; bytes: BytesSnapshot; interrupted: boolean }): OpenLoopResult {
    const seconds = window.durationMs / 1000;
    return {
      counts: this.counts,
      latency: this.latency,
      latencyUncorrected: this.latencyUncorrected,
      durationMs: window.durationMs,
      throughput: seconds > 0 ? (this.counts.ok + this.counts.failed) / seconds : 0,
      timeline: this.timeline.buckets(window.durationMs),
      bytesWritten: window.bytes.written,
      bytesRead: window.bytes.read,
      ...(window.bytes.breakdown ? { bytesBreakdown: window.bytes.breakdown } : {}),
      targetRatePerSecond: this.targetRatePerSecond,
      achievedRatePerSecond: seconds > 0 ? this.sentInWindow / seconds : 0,
      sendLag: this.sendLag,
      interrupted: window.interrupted,
    };
  }
}
