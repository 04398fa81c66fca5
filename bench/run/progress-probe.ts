import { performance } from 'node:perf_hooks';
import type { DriverConnection, Outcome } from '../drivers/driver.js';
import { watchedConnection } from '../drivers/watched-connection.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';

export interface ProgressSnapshot {
  readonly elapsedMs: number;
  /** Answers per second since the previous snapshot. */
  readonly rps: number;
  /** p99 of the answers since the previous snapshot, µs. */
  readonly p99Us: number;
  /** Failed and timed-out requests so far. */
  readonly errors: number;
}

/**
 * Watches the requests a load model sends, for the live progress line only: the
 * load model's own figures are what the results hold. It wraps every connection
 * alike, so both protocols carry the same (tiny) extra cost.
 */
export class ProgressProbe {
  private readonly start = performance.now();
  private last = this.start;
  private answered = 0;
  private errors = 0;
  private recent = LatencyHistogram.create();

  wrap(connections: readonly DriverConnection[]): DriverConnection[] {
    return connections.map((connection) =>
      watchedConnection(connection, (send) => {
        const sentAt = performance.now();
        return send().then((outcome) => this.record(outcome, sentAt));
      }),
    );
  }

  private record(outcome: Outcome, sentAt: number): Outcome {
    this.answered++;
    if (outcome.kind !== 'ok') this.errors++;
    this.recent.recordUs((performance.now() - sentAt) * 1000);
    return outcome;
  }

  snapshot(): ProgressSnapshot {
    const now = performance.now();
    const snapshot = {
      elapsedMs: now - this.start,
      rps: (this.answered * 1000) / Math.max(1, now - this.last),
      p99Us: this.recent.count > 0 ? this.recent.percentiles().p99 : 0,
      errors: this.errors,
    };
    this.last = now;
    this.answered = 0;
    this.recent = LatencyHistogram.create();
    return snapshot;
  }
}
