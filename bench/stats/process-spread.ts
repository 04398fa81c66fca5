/**
 * What the pairs of one run cannot show when two variants are served by different server
 * processes: a process keeps its own speed for as long as it lives (see server-node-flags.ts for
 * the largest cause, removed), so every pair of a run shares the difference between its two
 * processes. The standard deviation of log(a ÷ b) between two server processes of one kind beyond
 * the pairs' own spread (paired-ratio.ts's `processSpread`), measured by `npm run bench:verdicts`
 * over 14 rounds of fresh grpc-js servers with the young generation fixed, 42 A/A comparisons, on
 * the project's 2-core VM on 2026-12-07 (docs/verdicts.md): throughput 6.4%, p50 7.0%. p99 is not
 * calibrated and takes p50's. It is not the JIT's alone: fresh servers whose calls wait on the
 * native recognizer differed by 5.2–5.3% (throughput, p50, p99; 72 A/A comparisons,
 * recognizer-spread.ts), so one spread serves every workload. Variants served by one process
 * (rest-json-h1, rest-proto-h1 and rest-binary-h1 all reach the same Fastify server) add none.
 */
export const defaultProcessSpread = { rps: 0.064, p50Us: 0.07, p99Us: 0.07 } as const;
