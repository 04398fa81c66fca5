import type { DriverConnection } from '../drivers/driver.js';
import { runOpenLoopStages } from './open-loop-engine.js';
import type { OpenLoopResult } from './open-loop-result.js';

export interface OpenLoopOptions {
  readonly ratePerSecond: number;
  readonly inFlightPerConnection: number;
  /** Sent at the same rate before the measured window, and not counted. */
  readonly warmupMs: number;
  readonly durationMs: number;
  /** How long a request may wait for a free connection past its intended send time (default 1,000 ms). */
  readonly maxLateMs?: number;
  /** How long in-flight requests may still finish after the window (default 2,000 ms). */
  readonly graceMs?: number;
  readonly signal?: AbortSignal;
}

export const defaultMaxLateMs = 1000;
export const defaultGraceMs = 2000;

/**
 * Constant arrival rate, as wrk2 does it: request i is due at `start + i / rate` whether or not
 * earlier answers have come back, and its latency is measured from that intended time, so a
 * stalled server cannot hide its stall by slowing the sender down (coordinated omission).
 */
export async function runOpenLoop(
  connections: readonly DriverConnection[],
  options: OpenLoopOptions,
): Promise<OpenLoopResult> {
  const [result] = await runOpenLoopStages(
    connections,
    [
      { ratePerSecond: options.ratePerSecond, durationMs: options.warmupMs, measured: false },
      { ratePerSecond: options.ratePerSecond, durationMs: options.durationMs, measured: true },
    ],
    {
      inFlightPerConnection: options.inFlightPerConnection,
      maxLateMs: options.maxLateMs ?? defaultMaxLateMs,
      graceMs: options.graceMs ?? defaultGraceMs,
      signal: options.signal,
    },
  );
  return result!;
}
