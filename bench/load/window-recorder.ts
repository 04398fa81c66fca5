import { emptyCounts, type RequestCounts } from '../accounting/request-counts.js';
import type { Outcome } from '../drivers/driver.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import type { TimelineBucket } from './load-result.js';
import type { OpenLoopResult } from './open-loop-result.js';

interface Second {
  completed: number;
  failed: number;
  readonly latency: LatencyHistogram;
}

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
  private readonly seconds: Second[] = [];
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
    const second = this.secondAt(doneMs);
    second.completed++;
    if (outcome.kind === 'failed') second.failed++;
    second.latency.recordUs(correctedUs);
  }

  /** Whatever is still in flight when the run stops is cancelled. */
  cancelInFlight(): void {
    this.counts.cancelled += this.inFlight;
    this.inFlight = 0;
  }

  result(window: {
    durationMs: number;
    bytesWritten: number;
    bytesRead: number;
    interrupted: boolean;
  }): OpenLoopResult {
    const seconds = window.durationMs / 1000;
    const timeline: TimelineBucket[] = this.seconds.map((second, index) => ({
      second: index,
      completed: second.completed,
      failed: second.failed,
      p99Us: second.completed === 0 ? 0 : second.latency.percentiles().p99,
    }));
    return {
      counts: this.counts,
      latency: this.latency,
      latencyUncorrected: this.latencyUncorrected,
      durationMs: window.durationMs,
      throughput: seconds > 0 ? (this.counts.ok + this.counts.failed) / seconds : 0,
      timeline,
      bytesWritten: window.bytesWritten,
      bytesRead: window.bytesRead,
      targetRatePerSecond: this.targetRatePerSecond,
      achievedRatePerSecond: seconds > 0 ? this.sentInWindow / seconds : 0,
      sendLag: this.sendLag,
      interrupted: window.interrupted,
    };
  }

  private secondAt(timeMs: number): Second {
    const index = Math.max(0, Math.floor((timeMs - this.startMs) / 1000));
    // Dense: a second without answers (a stall) must show as an empty bucket, not vanish.
    while (this.seconds.length <= index) {
      this.seconds.push({ completed: 0, failed: 0, latency: LatencyHistogram.create() });
    }
    return this.seconds[index]!;
  }
}
