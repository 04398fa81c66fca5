import type { DriverConnection } from '../drivers/driver.js';
import { mergeOpenLoopResults } from './merge-results.js';
import { defaultGraceMs, defaultMaxLateMs } from './open-loop.js';
import { runOpenLoopStages } from './open-loop-engine.js';
import type { OpenLoopResult } from './open-loop-result.js';

export interface RampStage {
  readonly rate: number;
  readonly durationMs: number;
}

export interface RampOptions {
  readonly inFlightPerConnection: number;
  /** Sent at the first stage's rate before it, and not counted. */
  readonly warmupMs: number;
  readonly maxLateMs?: number;
  readonly graceMs?: number;
  readonly signal?: AbortSignal;
}

export interface RampResult {
  readonly stages: readonly (OpenLoopResult & { readonly stage: RampStage })[];
  readonly merged: OpenLoopResult;
}

/**
 * Open-loop stages back to back on one schedule: no pause and no drain between them, so a backlog
 * built at one rate carries into the next, as it would in production. Each request belongs to
 * the stage it was scheduled in, wherever it completes.
 */
export async function runRamp(
  connections: readonly DriverConnection[],
  stages: readonly RampStage[],
  options: RampOptions,
): Promise<RampResult> {
  const first = stages[0];
  if (first === undefined) throw new RangeError('a ramp needs at least one stage');
  const results = await runOpenLoopStages(
    connections,
    [
      { ratePerSecond: first.rate, durationMs: options.warmupMs, measured: false },
      ...stages.map((stage) => ({ ratePerSecond: stage.rate, durationMs: stage.durationMs, measured: true })),
    ],
    {
      inFlightPerConnection: options.inFlightPerConnection,
      maxLateMs: options.maxLateMs ?? defaultMaxLateMs,
      graceMs: options.graceMs ?? defaultGraceMs,
      signal: options.signal,
    },
  );
  return {
    stages: results.map((result, index) => ({ ...result, stage: stages[index]! })),
    merged: mergeOpenLoopResults(results),
  };
}
