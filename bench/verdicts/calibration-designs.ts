import type { DesignMethod } from './calibration-score.js';
import type { RepetitionShape } from './measure-repetition.js';

export interface Design {
  readonly name: string;
  readonly method: DesignMethod;
  readonly repetitions: number;
  readonly shape: RepetitionShape;
}

/** The quick suite's classify load: 2 connections, 16 in flight. */
export const calibrationLoad = { connections: 2, concurrency: 16 } as const;

/** The quick suite's old design and the paired one, in about the same wall time per variant. */
export const designs: readonly Design[] = [
  {
    name: 'old quick defaults: 3 × 2 s (0.5 s warm-up), intervals must not overlap',
    method: 'overlap',
    repetitions: 3,
    shape: { warmupMs: 500, durationMs: 2000, ...calibrationLoad },
  },
  {
    name: 'paired: 8 × 0.75 s (0.25 s warm-up), t on log-ratios',
    method: 'paired',
    repetitions: 8,
    shape: { warmupMs: 250, durationMs: 750, ...calibrationLoad },
  },
];
