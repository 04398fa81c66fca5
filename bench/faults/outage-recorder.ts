import { performance } from 'node:perf_hooks';
import type { DriverConnection, Outcome } from '../drivers/driver.js';
import { watchedConnection } from '../drivers/watched-connection.js';

/** How a run went through its faults: failures by kind, and the outage they made. */
export interface OutageSummary {
  /** `timedOut`, or `CODE` / `CODE/cause` (UNAVAILABLE/connection-refused, …), with counts. */
  readonly failuresByCause: Record<string, number>;
  /** Milliseconds from `start()`: the first and last request that did not succeed, absent when none. */
  readonly firstFailureMs?: number;
  readonly lastFailureMs?: number;
  /** The first success after the last failure; absent when the run ended before one. */
  readonly recoveredMs?: number;
}

/**
 * Wraps a driver's connections and notes when each outcome arrived, so that a run with
 * faults can say when requests began failing, how, and when they succeeded again.
 */
export class OutageRecorder {
  private startedAt = performance.now();
  private readonly byCause: Record<string, number> = {};
  private firstFailure: number | undefined;
  private lastFailure: number | undefined;
  private recovered: number | undefined;

  start(): void {
    this.startedAt = performance.now();
  }

  wrap(connections: readonly DriverConnection[]): DriverConnection[] {
    return connections.map((connection) =>
      watchedConnection(connection, (send) => send().then((outcome) => this.note(outcome))),
    );
  }

  summary(): OutageSummary {
    const ms = (at: number) => Math.round(at - this.startedAt);
    return {
      failuresByCause: { ...this.byCause },
      ...(this.firstFailure === undefined ? {} : { firstFailureMs: ms(this.firstFailure) }),
      ...(this.lastFailure === undefined ? {} : { lastFailureMs: ms(this.lastFailure) }),
      ...(this.recovered === undefined ? {} : { recoveredMs: ms(this.recovered) }),
    };
  }

  private note(outcome: Outcome): Outcome {
    const now = performance.now();
    if (outcome.kind === 'ok') {
      if (this.lastFailure !== undefined && this.recovered === undefined) this.recovered = now;
      return outcome;
    }
    const key =
      outcome.kind === 'timedOut'
        ? 'timedOut'
        : outcome.cause
          ? `${outcome.code}/${outcome.cause}`
          : outcome.code;
    this.byCause[key] = (this.byCause[key] ?? 0) + 1;
    this.firstFailure ??= now;
    this.lastFailure = now;
    this.recovered = undefined;
    return outcome;
  }
}
