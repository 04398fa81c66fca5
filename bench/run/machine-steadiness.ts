/**
 * How steady this machine runs work that touches memory, measured before a run starts. On a
 * shared VM the caches and memory behind a virtual CPU belong to the host, and their speed moves
 * from one fraction of a second to the next with what its other tenants do, while work that lives
 * in registers does not (docs/verdicts.md: a pointer chase over 64 KB to 256 MB varied 9–11%
 * between 0.75 s windows on the project's VM, an integer loop 0.8%). A server's calls touch memory,
 * so this is the floor under every repetition's noise, and a reader should see it beside the
 * verdicts it limits.
 */
import { performance } from 'node:perf_hooks';
import { varianceOf } from '../stats/log-interval.js';

export interface MachineSteadiness {
  /** Standard deviation of log(work done per window) of a pointer chase over 1 MiB. */
  readonly memoryBound: number;
  /** The same of an integer loop that stays in registers: what the CPU alone varies. */
  readonly registerOnly: number;
  readonly windows: number;
  readonly windowMs: number;
}

export interface SteadinessOptions {
  /** Windows per kind, after one discarded while the loop compiles. */
  readonly windows?: number;
  readonly windowMs?: number;
}

/** A mebibyte of links in one random cycle: each read depends on the one before. */
function pointerChase(): () => number {
  const size = 1 << 18;
  const links = new Uint32Array(size);
  const order = Array.from({ length: size }, (_, i) => i);
  let seed = 0x2545f491;
  for (let i = size - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let i = 0; i < size; i++) links[order[i]!] = order[(i + 1) % size]!;
  let at = 0;
  return () => {
    for (let i = 0; i < 4_096; i++) at = links[at]!;
    return at;
  };
}

function integerLoop(): () => number {
  let x = 1;
  return () => {
    for (let i = 0; i < 4_096; i++) x = (Math.imul(x, 31) + i) | 0;
    return x;
  };
}

/** The spread of log(units of `work` per window) over `windows` windows, the first discarded. */
function spreadOf(work: () => number, windows: number, windowMs: number): number {
  const counts: number[] = [];
  let sink = 0;
  for (let w = 0; w <= windows; w++) {
    const start = performance.now();
    let units = 0;
    while (performance.now() - start < windowMs) {
      sink ^= work();
      units++;
    }
    counts.push(units);
  }
  // Keeps the loops' results alive so that the compiler cannot drop the work.
  if (sink === 0.5) throw new Error('unreachable');
  const logs = counts.slice(1).map(Math.log);
  return Math.sqrt(varianceOf(logs));
}

/** Blocks for about 2 × (windows + 1) × windowMs (1.3 s by default); run it before servers start. */
export function measureMachineSteadiness(options: SteadinessOptions = {}): MachineSteadiness {
  const windows = options.windows ?? 12;
  const windowMs = options.windowMs ?? 50;
  if (!Number.isInteger(windows) || windows < 2)
    throw new Error(`windows must be an integer ≥ 2, got ${windows}`);
  if (!(windowMs > 0)) throw new Error(`windowMs must be positive, got ${windowMs}`);
  return {
    memoryBound: spreadOf(pointerChase(), windows, windowMs),
    registerOnly: spreadOf(integerLoop(), windows, windowMs),
    windows,
    windowMs,
  };
}

/** Above this spread of memory-bound work a run warns that its intervals will be wide (a choice). */
export const unsteadyMachineSpread = 0.05;

/** "memory-bound work varied 9.6% between 50 ms windows before the run, register-only work 0.8% (…)". */
export function describeSteadiness(steadiness: MachineSteadiness): string {
  const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
  return `memory-bound work varied ${percent(steadiness.memoryBound)} between ${steadiness.windowMs} ms windows before the run, register-only work ${percent(steadiness.registerOnly)} (standard deviation of the log, ${steadiness.windows} windows each)`;
}
