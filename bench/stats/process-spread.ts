/**
 * What the pairs of one run cannot show when two variants are served by different server
 * processes: a process keeps its own speed for as long as it lives (see server-node-flags.ts for
 * the largest cause, removed, and server-warmup.ts for the next, a fresh process warmed too
 * briefly), so every pair of a run shares the difference between its two processes. The standard
 * deviation of log(a ÷ b) between two server processes of one kind beyond the pairs' own spread
 * (paired-ratio.ts's `processSpread`), measured by `npm run bench:verdicts` on the project's
 * 2-core VM on 2026-12-07 (docs/verdicts.md): 6.4% (throughput) and 7.0% (p50) over 42 A/A
 * comparisons of fresh grpc-js servers warmed by three flat steps; 5.0% and 4.5% over 48 once a
 * fresh server warmed at least 10 steps (3.0% and 1.4% over 42 comparisons of 16 pairs); 5.2%, 5.3% and 5.2% (p99) over 72 between fresh servers
 * whose calls wait on the native recognizer (recognizer-spread.ts, not warmed). Kept at the first,
 * larger values: with 5.2% the recognizer's A/A rounds called a difference in 6.9% (throughput)
 * and 9.7% (p99) of comparisons, with these 5.6% and 6.9%, while classify's lose one comparison
 * of power in 16. One spread serves every workload; p99 takes p50's. Variants served by one
 * process (rest-json-h1, rest-proto-h1 and rest-binary-h1 all reach the same Fastify server) add
 * none.
 */
export const defaultProcessSpread = { rps: 0.064, p50Us: 0.07, p99Us: 0.07 } as const;
