import { setTimeout as sleep } from 'node:timers/promises';
import type { DriverConnection } from '../drivers/driver.js';
import { type OpenLoopOptions, runOpenLoop } from './open-loop.js';
import type { OpenLoopResult } from './open-loop-result.js';

/** The settings of every run in a series of open-loop runs that differ only in rate. */
export interface OpenLoopSeriesOptions extends Omit<OpenLoopOptions, 'ratePerSecond'> {
  /**
   * Idle time before each run but the first (default 500 ms): answers cancelled at the end of an
   * overloaded run are still on their way and the server may still be working off its queue; they
   * must not count against the next rate.
   */
  readonly cooldownMs?: number;
}

/** Returns a function that runs one open-loop run at a given rate, cooling down between runs. */
export function openLoopSeries(
  connections: readonly DriverConnection[],
  options: OpenLoopSeriesOptions,
): (rate: number) => Promise<OpenLoopResult> {
  let runs = 0;
  return async (rate) => {
    if (runs++ > 0) await sleep(options.cooldownMs ?? 500);
    return runOpenLoop(connections, { ...options, ratePerSecond: rate });
  };
}

export interface RateSweepStep {
  readonly rate: number;
  readonly result: OpenLoopResult;
}

/** Separate open-loop runs, one per rate, in the order given; stops early (with what it has) when aborted. */
export async function runRateSweep(
  connections: readonly DriverConnection[],
  rates: readonly number[],
  options: OpenLoopSeriesOptions,
): Promise<RateSweepStep[]> {
  const run = openLoopSeries(connections, options);
  const steps: RateSweepStep[] = [];
  for (const rate of rates) {
    if (options.signal?.aborted) break;
    steps.push({ rate, result: await run(rate) });
  }
  return steps;
}
