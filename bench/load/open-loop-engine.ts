import type { DriverConnection, Outcome } from '../drivers/driver.js';
import { type BytesSnapshot, bytesBetween, snapshotBytes } from './bytes-snapshot.js';
import { Fifo } from './fifo.js';
import type { OpenLoopResult } from './open-loop-result.js';
import { WindowRecorder } from './window-recorder.js';

/** One constant-rate stretch of an open-loop schedule; unmeasured stages are warm-up. */
export interface OpenLoopStage {
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly measured: boolean;
}

export interface OpenLoopEngineOptions {
  /** Requests in flight on each connection at most; beyond that, requests wait in the queue. */
  readonly inFlightPerConnection: number;
  /** A request that has waited longer than this past its intended send time is dropped (`notSent`). */
  readonly maxLateMs: number;
  /** After the last stage, how long in-flight requests may still finish before they count as `cancelled`. */
  readonly graceMs: number;
  readonly signal?: AbortSignal;
}

interface Plan {
  readonly ratePerSecond: number;
  readonly startMs: number;
  readonly count: number;
  readonly recorder: WindowRecorder | undefined;
  bytesAtStart: BytesSnapshot | undefined;
}

interface Queued {
  readonly intendedMs: number;
  readonly plan: Plan;
}

/** How many of the send times `k / rate` (k = 0, 1, …) fall inside `[0, duration)`. */
export function requestsInStage(ratePerSecond: number, durationMs: number): number {
  // The epsilon keeps an exact product (2,000/s for 10 s) from becoming one more by rounding.
  return Math.max(0, Math.ceil((ratePerSecond * durationMs) / 1000 - 1e-9));
}

export function validateStages(stages: readonly OpenLoopStage[], options: OpenLoopEngineOptions): void {
  for (const stage of stages) {
    if (!(Number.isFinite(stage.ratePerSecond) && stage.ratePerSecond > 0)) {
      throw new RangeError(
        `rate must be a positive number of requests per second, got ${stage.ratePerSecond}`,
      );
    }
    if (!(Number.isFinite(stage.durationMs) && stage.durationMs >= 0)) {
      throw new RangeError(`duration must be a non-negative number of milliseconds, got ${stage.durationMs}`);
    }
  }
  if (!(Number.isInteger(options.inFlightPerConnection) && options.inFlightPerConnection >= 1)) {
    throw new RangeError(
      `inFlightPerConnection must be a positive integer, got ${options.inFlightPerConnection}`,
    );
  }
  for (const [name, value] of [
    ['maxLateMs', options.maxLateMs],
    ['graceMs', options.graceMs],
  ] as const) {
    if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`${name} must be ≥ 0, got ${value}`);
  }
}

/**
 * Runs stages back to back on one schedule (request k of a stage is due at the stage's start
 * plus k / rate, computed from the run's start, so timer lateness never accumulates) and
 * resolves with one result per measured stage.
 */
export function runOpenLoopStages(
  connections: readonly DriverConnection[],
  stages: readonly OpenLoopStage[],
  options: OpenLoopEngineOptions,
): Promise<OpenLoopResult[]> {
  if (connections.length === 0) throw new RangeError('an open-loop run needs at least one connection');
  validateStages(stages, options);
  return new Promise((resolve) => new OpenLoopRun(connections, stages, options, resolve).start());
}

class OpenLoopRun {
  private plans: Plan[] = [];
  private endMs = 0;
  private stageCursor = 0;
  private indexInStage = 0;
  private readonly queue = new Fifo<Queued>();
  /** One token per in-flight slot, naming its connection; FIFO so that load spreads over connections. */
  private readonly freeSlots = new Fifo<number>();
  private timer: NodeJS.Timeout | undefined;
  private sending = true;
  private done = false;
  private abortedAtMs: number | undefined;
  private readonly onAbort = () => this.abort();

  constructor(
    private readonly connections: readonly DriverConnection[],
    private readonly stages: readonly OpenLoopStage[],
    private readonly options: OpenLoopEngineOptions,
    private readonly resolve: (results: OpenLoopResult[]) => void,
  ) {
    for (let slot = 0; slot < options.inFlightPerConnection; slot++) {
      for (let connection = 0; connection < connections.length; connection++) this.freeSlots.push(connection);
    }
  }

  start(): void {
    const startMs = performance.now();
    let offsetMs = 0;
    this.plans = this.stages.map((stage) => {
      const planStart = startMs + offsetMs;
      offsetMs += stage.durationMs;
      return {
        ratePerSecond: stage.ratePerSecond,
        startMs: planStart,
        count: requestsInStage(stage.ratePerSecond, stage.durationMs),
        recorder: stage.measured
          ? new WindowRecorder(planStart, stage.durationMs, stage.ratePerSecond)
          : undefined,
        bytesAtStart: undefined,
      };
    });
    this.endMs = startMs + offsetMs;
    if (this.options.signal?.aborted) {
      this.abortedAtMs = startMs;
      this.finish();
      return;
    }
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.tick();
  }

  private tick(): void {
    this.timer = undefined;
    if (!this.sending) return;
    const now = performance.now();
    const nextDueMs = this.scheduleDue(now);
    this.dispatch(now);
    if (nextDueMs === undefined && now >= this.endMs) {
      this.stopSending();
      return;
    }
    // Node timers have ~1 ms granularity and may fire late; whatever became due meanwhile is
    // sent as one batch by the next tick, so the rate holds even though single sends jitter.
    const wakeMs = Math.min(nextDueMs ?? this.endMs, this.endMs);
    this.timer = setTimeout(() => this.tick(), Math.max(0, wakeMs - performance.now()));
  }

  /** Queues every request due by `now`; returns the next due time, or undefined once all are queued. */
  private scheduleDue(now: number): number | undefined {
    for (;;) {
      const plan = this.plans[this.stageCursor];
      if (plan === undefined) return undefined;
      if (this.indexInStage >= plan.count) {
        this.stageCursor++;
        this.indexInStage = 0;
        continue;
      }
      const intendedMs = plan.startMs + (this.indexInStage * 1000) / plan.ratePerSecond;
      if (intendedMs > now) return intendedMs;
      plan.recorder?.scheduled();
      this.queue.push({ intendedMs, plan });
      this.indexInStage++;
    }
  }

  private dispatch(now: number): void {
    for (;;) {
      const head = this.queue.peek();
      if (head === undefined) return;
      if (now - head.intendedMs > this.options.maxLateMs) {
        this.queue.shift();
        head.plan.recorder?.dropped();
        continue;
      }
      const slot = this.freeSlots.shift();
      if (slot === undefined) return;
      this.queue.shift();
      this.send(head, slot);
    }
  }

  private send(request: Queued, slot: number): void {
    const connection = this.connections[slot]!;
    // The queue sends in schedule order, so every earlier stage's requests have left by now and
    // the bytes written split exactly between stages.
    request.plan.bytesAtStart ??= this.bytes();
    const sentMs = performance.now();
    request.plan.recorder?.sent(request.intendedMs, sentMs);
    // `send` is specified never to reject; if a driver breaks that, the request still settles
    // (as UNKNOWN) so that the accounting closes, instead of hanging until the grace period.
    new Promise<Outcome>((resolve) => resolve(connection.send()))
      .catch((): Outcome => ({ kind: 'failed', code: 'UNKNOWN' }))
      .then((outcome) => this.completed(request, slot, sentMs, outcome));
  }

  private completed(request: Queued, slot: number, sentMs: number, outcome: Outcome): void {
    if (this.done) return;
    const now = performance.now();
    request.plan.recorder?.completed(outcome, request.intendedMs, sentMs, now);
    this.freeSlots.push(slot);
    if (this.sending) this.dispatch(now);
    else if (this.measuredInFlight() === 0) this.finish();
  }

  private stopSending(): void {
    this.sending = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    // The window is over: whatever still waits for a free connection was never sent.
    for (const request of this.queue.drain()) request.plan.recorder?.dropped();
    if (this.abortedAtMs !== undefined || this.measuredInFlight() === 0) {
      this.finish();
      return;
    }
    this.timer = setTimeout(() => this.finish(), this.options.graceMs);
  }

  private abort(): void {
    if (this.done) return;
    this.abortedAtMs = performance.now();
    if (this.sending) this.stopSending();
    else this.finish();
  }

  private measuredInFlight(): number {
    let total = 0;
    for (const plan of this.plans) total += plan.recorder?.requestsInFlight ?? 0;
    return total;
  }

  private bytes(): BytesSnapshot {
    return snapshotBytes(this.connections);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    const finalBytes = this.bytes();
    const results: OpenLoopResult[] = [];
    this.plans.forEach((plan, index) => {
      const recorder = plan.recorder;
      if (recorder === undefined) return;
      recorder.cancelInFlight();
      // A stage's bytes run from its first send to the next stage's first send (or the run's end,
      // after the grace period): answers still on their way then count in the next stage's share.
      const from = plan.bytesAtStart ?? finalBytes;
      const to = this.plans.slice(index + 1).find((later) => later.bytesAtStart)?.bytesAtStart ?? finalBytes;
      const cutMs = this.abortedAtMs ?? Number.POSITIVE_INFINITY;
      const interrupted = cutMs < recorder.endMs;
      results.push(
        recorder.result({
          durationMs: interrupted ? Math.max(0, cutMs - recorder.startMs) : recorder.durationMs,
          bytes: bytesBetween(to, from),
          interrupted,
        }),
      );
    });
    this.resolve(results);
  }
}
