import { pbkdf2, pbkdf2Sync } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/**
 * Spends a fixed amount of CPU work off the event loop. PBKDF2 runs on the libuv
 * thread pool, like the real decoder, and its iteration count is an exact amount
 * of work, so equal audio costs equal work in every run.
 */
export class CpuBurner {
  private constructor(private readonly iterationsPerSecond: number) {}

  /**
   * Measures how many iterations this machine does in a second, once per process; with
   * several rounds, the fastest counts (a busy neighbour only ever slows a round down).
   */
  static calibrate(rounds = 1): CpuBurner {
    const probe = 20_000;
    pbkdf2Sync('warm-up', 'salt', probe, 32, 'sha256');
    let seconds = Number.POSITIVE_INFINITY;
    for (let round = 0; round < rounds; round++) {
      const start = performance.now();
      pbkdf2Sync('calibrate', 'salt', probe, 32, 'sha256');
      seconds = Math.min(seconds, (performance.now() - start) / 1000);
    }
    return new CpuBurner(Math.max(1, Math.round(probe / seconds)));
  }

  /**
   * A rate measured elsewhere: servers compared with each other must burn the same work
   * per audio second, which separate calibrations on a busy machine would not give.
   */
  static atRate(iterationsPerSecond: number): CpuBurner {
    return new CpuBurner(Math.max(1, Math.round(iterationsPerSecond)));
  }

  get iterationsPerSecondRate(): number {
    return this.iterationsPerSecond;
  }

  iterationsFor(seconds: number): number {
    return Math.round(seconds * this.iterationsPerSecond);
  }

  burn(seconds: number): Promise<void> {
    const iterations = this.iterationsFor(seconds);
    if (iterations <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      pbkdf2('reference-engine', 'salt', iterations, 32, 'sha256', (error) =>
        error ? reject(error) : resolve(),
      );
    });
  }
}
