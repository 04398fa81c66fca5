/**
 * The closed-loop load model: every connection keeps a fixed number of requests in
 * flight and sends the next as soon as one is answered. Throughput is whatever the
 * system under test allows; latency is from send to answer.
 */
import { performance } from 'node:perf_hooks';
import type { DriverConnection, Outcome } from '../drivers/driver.js';
import { type BytesSnapshot, bytesBetween, noBytes, snapshotBytes } from './bytes-snapshot.js';
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
  let bytesAtStart: BytesSnapshot = noBytes;
  let bytesAtEnd: BytesSnapshot = noBytes;

  // No closure is created per request: tsx compiles with esbuild's keepNames, which wraps
  // every named function expression in a __name() call (Object.defineProperty), and that
  // cost the driver about a tenth of its CPU per request.
  const issue = (connection: DriverConnection): void => {
    if (stopping) return;
    const counted = window;
    const sentMs = performance.now();
    counted?.sent();
    // Drivers never reject; one that does must not lose a request from the accounts.
    connection.send().then(
      (outcome) => settle(connection, counted, sentMs, outcome),
      () => settle(connection, counted, sentMs, brokenDriver),
    );
  };
  const settle = (
    connection: DriverConnection,
    counted: ClosedLoopWindow | undefined,
    sentMs: number,
    outcome: Outcome,
  ): void => {
    counted?.settled(outcome, sentMs, performance.now());
    // A failure can come back without any I/O (a refused socket, a closed session):
    // yielding then keeps a dead server from starving the timers that end the run.
    if (outcome.kind === 'ok') issue(connection);
    else setImmediate(issue, connection);
  };

  const stopped = new Promise<void>((resolve) => {
    const beginWindow = () => {
      if (window) return;
      window = new ClosedLoopWindow(performance.now());
      bytesAtStart = snapshotBytes(connections);
    };
    const endWindow = () => {
      if (stopping) return;
      stopping = true;
      clearTimeout(warmupTimer);
      clearTimeout(durationTimer);
      options.signal?.removeEventListener('abort', endWindow);
      windowEnd = performance.now();
      bytesAtEnd = window ? snapshotBytes(connections) : bytesAtStart;
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
  return measured.close(windowEnd - measured.startMs, bytesBetween(bytesAtEnd, bytesAtStart));
}
