import type { DesignMethod } from './calibration-score.js';
import type { RepetitionShape } from './measure-repetition.js';

/** How rounds name their design in calibration.json ('paired' is the 8-pair one, as files before 16 pairs say). */
export type DesignId = 'overlap' | 'paired' | 'paired-16';

export interface Design {
  readonly id: DesignId;
  readonly name: string;
  readonly method: DesignMethod;
  readonly repetitions: number;
  readonly shape: RepetitionShape;
}

/** The quick suite's classify load: 2 connections, 16 in flight. */
export const calibrationLoad = { connections: 2, concurrency: 16 } as const;

/**
 * The quick suite's old design and the paired one, in about the same wall time per variant, and
 * the paired one at twice the time (`run --repetitions 16`): within one server process a 0.75 s
 * window's throughput moves by 7–17% (its CPU per call moves with it while the CPU's own speed
 * holds: the process's state, not the machine's), so more windows is what buys power.
 */
export const designs: readonly Design[] = [
  {
    id: 'overlap',
    name: 'old quick defaults: 3 × 2 s (0.5 s warm-up), intervals must not overlap',
    method: 'overlap',
    repetitions: 3,
    shape: { warmupMs: 500, durationMs: 2000, ...calibrationLoad },
  },
  {
    id: 'paired',
    name: 'paired: 8 × 0.75 s (0.25 s warm-up), t on log-ratios',
    method: 'paired',
    repetitions: 8,
    shape: { warmupMs: 250, durationMs: 750, ...calibrationLoad },
  },
  {
    id: 'paired-16',
    name: 'paired: 16 × 0.75 s (0.25 s warm-up), t on log-ratios',
    method: 'paired',
    repetitions: 16,
    shape: { warmupMs: 250, durationMs: 750, ...calibrationLoad },
  },
];
