/**
 * The closed-loop load model: every connection keeps a fixed number of requests in
 * flight and sends the next as soon as one is answered. Throughput is whatever the
 * system under test allows; latency is from send to answer.
 */
import { performance } from 'node:perf_hooks';
import { balanceProblems, emptyCounts } from '../accounting/request-counts.js';
import type { DriverConnection, Outcome } from '../drivers/driver.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import { TimelineRecorder } from './closed-loop-timeline.js';
import type { LoadResult } from './load-result.js';

export interface ClosedLoopOptions {
  readonly inFlightPerConnection: number;
  /** Requests started during the warm-up are neither counted nor recorded. */
  readonly warmupMs: number;
  readonly durationMs: number;
  /** How long requests still in flight at the end may take to be answered (default 5 s); the rest are `cancelled`. */
  readonly graceMs?: number;
  /** Stops the run early; what was measured until then is reported. */
  readonly signal?: AbortSignal;
}

const defaultGraceMs = 5_000;
const brokenDriver: Outcome = { kind: 'failed', code: 'UNKNOWN' };

function checkOptions(connections: readonly DriverConnection[], options: ClosedLoopOptions): void {
  if (connections.length === 0) throw new Error('a closed loop needs at least one connection');
  if (!Number.isInteger(options.inFlightPerConnection) || options.inFlightPerConnection < 1) {
    throw new Error(`inFlightPerConnection must be a positive integer, got ${options.inFlightPerConnection}`);
  }
  for (const [name, value] of [
    ['warmupMs', options.warmupMs],
    ['durationMs', options.durationMs],
    ['graceMs', options.graceMs ?? 0],
  ] as const) {
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`${name} must be a non-negative number, got ${value}`);
  }
}

function sumBytes(connections: readonly DriverConnection[]): { written: number; read: number } {
  let written = 0;
  let read = 0;
  for (const connection of connections) {
    written += connection.bytesWritten;
    read += connection.bytesRead;
  }
  return { written, read };
}

export async function runClosedLoop(
  connections: readonly DriverConnection[],
  options: ClosedLoopOptions,
): Promise<LoadResult> {
  checkOptions(connections, options);
  const counts = emptyCounts();
  const latency = LatencyHistogram.create();
  const timeline = new TimelineRecorder();
  let measuring = false;
  let stopping = false;
  let finished = false;
  let windowStart = 0;
  let windowEnd = 0;
  let bytesAtStart = { written: 0, read: 0 };
  let bytesAtEnd = { written: 0, read: 0 };
  let inFlightCounted = 0;
  let wakeDrain: (() => void) | undefined;

  const settle = (outcome: Outcome, startedAt: number) => {
    inFlightCounted--;
    if (finished) return;
    const now = performance.now();
    const us = (now - startedAt) * 1000;
    if (outcome.kind === 'ok') {
      counts.ok++;
      // Latency of successful answers only: fast failures (refused connections) would flatter it.
      latency.recordUs(us);
    } else if (outcome.kind === 'failed') {
      counts.failed++;
      counts.failedByCode[outcome.code] = (counts.failedByCode[outcome.code] ?? 0) + 1;
    } else {
      counts.timedOut++;
    }
    if (outcome.kind !== 'timedOut') timeline.record(now - windowStart, outcome.kind === 'ok', us);
    if (inFlightCounted === 0) wakeDrain?.();
  };

  const issue = (connection: DriverConnection): void => {
    if (stopping) return;
    const counted = measuring;
    const startedAt = performance.now();
    if (counted) {
      counts.sent++;
      inFlightCounted++;
    }
    const answered = (outcome: Outcome) => {
      if (counted) settle(outcome, startedAt);
      // A failure can come back without any I/O (a refused socket, a closed session):
      // yielding then keeps a dead server from starving the timers that end the run.
      if (outcome.kind === 'ok') issue(connection);
      else setImmediate(issue, connection);
    };
    // Drivers never reject; one that does must not lose a request from the accounts.
    connection.send().then(answered, () => answered(brokenDriver));
  };

  const stopped = new Promise<void>((resolve) => {
    const beginWindow = () => {
      if (measuring) return;
      measuring = true;
      windowStart = performance.now();
      bytesAtStart = sumBytes(connections);
    };
    const endWindow = () => {
      if (stopping) return;
      stopping = true;
      clearTimeout(warmupTimer);
      clearTimeout(durationTimer);
      options.signal?.removeEventListener('abort', endWindow);
      windowEnd = measuring ? performance.now() : windowStart;
      bytesAtEnd = measuring ? sumBytes(connections) : bytesAtStart;
      resolve();
    };
    // Without a warm-up the first requests belong to the window.
    if (options.warmupMs === 0) beginWindow();
    const warmupTimer = setTimeout(beginWindow, options.warmupMs);
    const durationTimer = setTimeout(endWindow, options.warmupMs + options.durationMs);
    if (options.signal?.aborted) endWindow();
    else options.signal?.addEventListener('abort', endWindow, { once: true });
  });

  if (!stopping) {
    for (const connection of connections) {
      for (let i = 0; i < options.inFlightPerConnection; i++) issue(connection);
    }
  }
  await stopped;
  if (inFlightCounted > 0) {
    const drained = new Promise<void>((resolve) => {
      wakeDrain = resolve;
    });
    let graceTimer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => {
      graceTimer = setTimeout(resolve, options.graceMs ?? defaultGraceMs);
    });
    await Promise.race([drained, graceOver]);
    clearTimeout(graceTimer);
  }
  finished = true;
  counts.cancelled += inFlightCounted;

  const problems = balanceProblems(counts);
  if (problems.length > 0) throw new Error(`closed loop lost requests: ${problems.join('; ')}`);
  const durationMs = windowEnd - windowStart;
  return {
    counts,
    latency,
    durationMs,
    throughput: durationMs > 0 ? ((counts.ok + counts.failed) * 1000) / durationMs : 0,
    timeline: timeline.buckets(durationMs),
    bytesWritten: bytesAtEnd.written - bytesAtStart.written,
    bytesRead: bytesAtEnd.read - bytesAtStart.read,
  };
}
