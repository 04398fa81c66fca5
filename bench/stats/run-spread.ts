/**
 * The run-to-run spread compare's gate adds to each row (run-ratio.ts): the standard deviation of
 * log(current ÷ baseline) between two runs of the same commit, one after the other, beyond what
 * their repetitions show. Measured by `npm run bench:verdicts:gate` (bench/verdicts/gate-check.ts)
 * over 10 A/A pairs of quick-shaped runs on the project's 2-core VM on 2026-12-07, while three
 * other benchmark sessions shared its cores (load average 9–13): 59% (throughput), 73% (p50), 86%
 * (p99), rounded up here. That machine's runs swung by ×2 and more; a quieter CI runner should
 * measure its own and pass it (`compare --run-spread throughput=…,p50=…,p99=…`), or the gate will
 * miss changes it could have seen. docs/verdicts.md has the figures.
 */
export const defaultRunSpread = { throughput: 0.6, p50: 0.75, p99: 0.9 } as const;

export type RunSpread = { readonly [K in keyof typeof defaultRunSpread]: number };
