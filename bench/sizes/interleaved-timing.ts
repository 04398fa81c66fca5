/**
 * A small micro-benchmark that compares operations fairly: all are warmed up
 * together, then timed in batches, round after round, alternating their order
 * (A B … then … B A) so that neither always runs right after the other's garbage
 * or on a colder cache. The median over rounds resists GC pauses and noise from
 * the other processes on the machine.
 */
import { quantile } from '../stats/quantile.js';

export interface TimedOperation {
  readonly name: string;
  /** Returns its result so that the work cannot be optimised away. */
  readonly run: () => unknown;
}

export interface TimingOptions {
  /** Time spent warming up all the operations, round-robin, before any measurement. */
  readonly warmupMs: number;
  /** Time for the measured rounds of all the operations together. */
  readonly budgetMs: number;
  /** A batch repeats an operation until about this long, so the clock's cost vanishes. */
  readonly batchNs: number;
  readonly minRounds: number;
  readonly maxRounds: number;
}

export const DEFAULT_TIMING: TimingOptions = {
  warmupMs: 100,
  budgetMs: 700,
  batchNs: 200_000,
  minRounds: 5,
  maxRounds: 2_000,
};

export interface OperationTiming {
  readonly name: string;
  /** Median over rounds of the nanoseconds per operation. */
  readonly medianNs: number;
  readonly rounds: number;
  /** Operations per timed batch. */
  readonly batch: number;
}

let sink = 0;

/** Keeps results alive where the optimiser can see they are used. */
function consume(result: unknown): void {
  if (result === sink) sink++;
}

function warmUp(operations: readonly TimedOperation[], warmupMs: number): void {
  const end = process.hrtime.bigint() + BigInt(Math.round(warmupMs * 1e6));
  do {
    for (const operation of operations) consume(operation.run());
  } while (process.hrtime.bigint() < end);
}

/**
 * Doubles a batch until it takes half the target, then scales it to the target.
 * The fastest of three tries, so that a preemption does not shrink the batch.
 */
function calibrateBatch(operation: TimedOperation, batchNs: number): number {
  for (let calls = 1; ; calls *= 2) {
    const ns = Math.min(...[1, 2, 3].map(() => timeBatch(operation, calls))) * calls;
    if (ns >= batchNs / 2 || calls >= 1 << 20)
      return Math.max(1, Math.ceil((calls * batchNs) / Math.max(ns, 1)));
  }
}

function timeBatch(operation: TimedOperation, batch: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < batch; i++) consume(operation.run());
  return Number(process.hrtime.bigint() - start) / batch;
}

export function timeInterleaved(
  operations: readonly TimedOperation[],
  options: TimingOptions = DEFAULT_TIMING,
): OperationTiming[] {
  warmUp(operations, options.warmupMs);
  const batches = operations.map((operation) => calibrateBatch(operation, options.batchNs));
  const samples: number[][] = operations.map(() => []);
  const end = process.hrtime.bigint() + BigInt(Math.round(options.budgetMs * 1e6));
  let rounds = 0;
  while (rounds < options.minRounds || (rounds < options.maxRounds && process.hrtime.bigint() < end)) {
    const order = operations.map((_, i) => i);
    if (rounds % 2 === 1) order.reverse();
    for (const i of order) samples[i]!.push(timeBatch(operations[i]!, batches[i]!));
    rounds++;
  }
  return operations.map((operation, i) => ({
    name: operation.name,
    medianNs: quantile(samples[i]!, 0.5),
    rounds,
    batch: batches[i]!,
  }));
}
