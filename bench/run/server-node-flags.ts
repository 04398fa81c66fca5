/**
 * V8 sizes a process's young generation by a heuristic: semi-spaces start at 1 MB and grow toward
 * 16 MB when the heap's survival rate asks for it. Identical server processes under the same load
 * settle at different sizes and stay there for their whole lives: on the project's 2-core VM
 * (2026-12-07, docs/verdicts.md), fresh grpc-js servers' classify throughput was 6,982–10,890
 * req/s (process to process: 14%), the slow ones' GC helper threads doing twice the work and
 * delaying the driver's event loop (p99 5 ms against 2 ms); with the young generation fixed at
 * 16 MB, seven fresh processes gave 10,229–11,806 req/s. No pairing inside a run can cancel a
 * difference that lasts as long as the process, so every server a run starts gets the
 * heuristic's own maximum from the start, the same for every protocol. `default` gives V8 its
 * heuristic back (`run --young-generation default`); the results record which.
 */
export type YoungGeneration = 'fixed' | 'default';

export const youngGenerations: readonly YoungGeneration[] = ['fixed', 'default'];

export function serverNodeFlags(youngGeneration: YoungGeneration): readonly string[] {
  return youngGeneration === 'fixed' ? ['--min-semi-space-size=16', '--max-semi-space-size=16'] : [];
}
