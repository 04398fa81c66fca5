/**
 * The closed-loop load model: every connection keeps a fixed number of requests in
 * flight and sends the next as soon as one is answered. Throughput is whatever the
 * system under test allows; latency is from send to answer.
 */
import { performance } from 'node:perf_hooks';
import {
  type ByteBreakdown,
  breakdownData,
  breakdownMinus,
  sumBreakdowns,
} from '../drivers/byte-breakdown.js';
import type { DriverConnection, Outcome } from '../drivers/driver.js';
import { ClosedLoopWindow } from './closed-loop-window.js';
import type { LoadResult } from './load-result.js';

export interface ClosedLoopOptions {
  readonly inFlightPerConnection: number;
  /** Requests started during the warm-up are neither counted nor recorded. */
  readonly warmupMs: number;
  readonly durationMs: number;
  /** How long requests still in flight at the end may take to be answered (default 5 s); the rest are `cancelled`. */
  readonly graceMs?: number;
  /** Stops the run early, the same way as its end; what was measured until then is reported. */
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

interface BytesSnapshot {
  readonly written: number;
  readonly read: number;
  readonly breakdown?: ByteBreakdown;
}

function sumBytes(connections: readonly DriverConnection[]): BytesSnapshot {
  let written = 0;
  let read = 0;
  for (const connection of connections) {
    written += connection.bytesWritten;
    read += connection.bytesRead;
  }
  const breakdown = sumBreakdowns(connections);
  return breakdown ? { written, read, breakdown: breakdownData(breakdown) } : { written, read };
}

/** Resolves when `window` has nothing in flight, or when `ms` have passed. */
function drain(window: ClosedLoopWindow, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const deadline = performance.now() + ms;
    const poll = setInterval(() => {
      if (window.requestsInFlight > 0 && performance.now() < deadline) return;
      clearInterval(poll);
      resolve();
    }, 5);
  });
}

export async function runClosedLoop(
  connections: readonly DriverConnection[],
  options: ClosedLoopOptions,
): Promise<LoadResult> {
  checkOptions(connections, options);
  let window: ClosedLoopWindow | undefined;
  let stopping = false;
  let windowEnd = 0;
  let bytesAtStart: BytesSnapshot = { written: 0, read: 0 };
  let bytesAtEnd: BytesSnapshot = { written: 0, read: 0 };

  const issue = (connection: DriverConnection): void => {
    if (stopping) return;
    const counted = window;
    const sentMs = performance.now();
    counted?.sent();
    const answered = (outcome: Outcome) => {
      counted?.settled(outcome, sentMs, performance.now());
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
      if (window) return;
      window = new ClosedLoopWindow(performance.now());
      bytesAtStart = sumBytes(connections);
    };
    const endWindow = () => {
      if (stopping) return;
      stopping = true;
      clearTimeout(warmupTimer);
      clearTimeout(durationTimer);
      options.signal?.removeEventListener('abort', endWindow);
      windowEnd = performance.now();
      bytesAtEnd = window ? sumBytes(connections) : bytesAtStart;
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
  // Aborted in the warm-up: an empty window.
  const measured = window ?? new ClosedLoopWindow(windowEnd);
  if (measured.requestsInFlight > 0) await drain(measured, options.graceMs ?? defaultGraceMs);
  const { breakdown: end } = bytesAtEnd;
  const { breakdown: start } = bytesAtStart;
  return measured.close(windowEnd - measured.startMs, {
    written: bytesAtEnd.written - bytesAtStart.written,
    read: bytesAtEnd.read - bytesAtStart.read,
    ...(end && start ? { breakdown: breakdownMinus(end, start) } : {}),
  });
}
