/**
 * What the pairs of one run cannot show when two variants are served by different server
 * processes: a process keeps its own speed for as long as it lives (see server-node-flags.ts for
 * the largest cause, removed, and server-warmup.ts for the next, a fresh process warmed too
 * briefly), so every pair of a run shares the difference between its two processes. The standard
 * deviation of log(a ÷ b) between two server processes of one kind beyond the pairs' own spread
 * (paired-ratio.ts's `processSpread`), measured by `npm run bench:verdicts` on the project's
 * 2-core VM on 2026-12-07 (docs/verdicts.md): fresh grpc-js servers warmed at least 10 steps, 16
 * rounds, 48 A/A comparisons: throughput 5.0%, p50 4.5% (6.4% and 7.0% with the shorter warm-up
 * before); fresh servers whose calls wait on the native recognizer (not warmed): 5.2% throughput,
 * 5.3% p50, 5.2% p99 over 72 A/A comparisons (recognizer-spread.ts). One spread serves every
 * workload, the larger of the two per figure; p99 is calibrated on the recognizer only.
 * Variants served by one process (rest-json-h1, rest-proto-h1 and rest-binary-h1 all reach the
 * same Fastify server) add none.
 */
export const defaultProcessSpread = { rps: 0.052, p50Us: 0.053, p99Us: 0.053 } as const;
