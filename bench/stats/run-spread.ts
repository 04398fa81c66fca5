/**
 * The run-to-run spread compare's gate adds to each row (run-ratio.ts): the standard deviation of
 * log(current ÷ baseline) between two runs of the same commit, one after the other, beyond what
 * their repetitions show. Measured with `bench/verdicts/run-spread.ts` over A/A pairs of
 * quick-shaped runs on the project's shared 2-core machine (docs/verdicts.md has the figures,
 * the command and the date); another machine may need its own (`compare --run-spread`).
 */
export const defaultRunSpread = { throughput: 0.05, p50: 0.05, p99: 0.15 } as const;

export type RunSpread = { readonly [K in keyof typeof defaultRunSpread]: number };
