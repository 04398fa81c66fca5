import { describe, expect, it } from 'vitest';
import { timeInterleaved } from './interleaved-timing.js';

function spin(iterations: number): number {
  let x = 0;
  for (let i = 0; i < iterations; i++) x = (x * 31 + i) | 0;
  return x;
}

describe('timeInterleaved', () => {
  it('alternates the order of the operations round by round', () => {
    const log: string[] = [];
    const ops = ['A', 'B'].map((name) => ({ name, run: () => log.push(name) }));
    // batchNs 0: one call per batch, so the log shows the measured order.
    const timings = timeInterleaved(ops, {
      warmupMs: 0,
      budgetMs: 0,
      batchNs: 0,
      minRounds: 4,
      maxRounds: 4,
    });
    // The warm-up runs once round-robin (AB), the calibration three times each, then four rounds.
    expect(log.join('')).toBe('AB' + 'AAABBB' + 'AB' + 'BA' + 'AB' + 'BA');
    expect(timings.map((t) => [t.name, t.rounds, t.batch])).toEqual([
      ['A', 4, 1],
      ['B', 4, 1],
    ]);
  });

  it('measures ten times the work as several times slower', () => {
    const [small, large] = timeInterleaved(
      [
        { name: 'small', run: () => spin(2_000) },
        { name: 'large', run: () => spin(20_000) },
      ],
      { warmupMs: 20, budgetMs: 100, batchNs: 100_000, minRounds: 5, maxRounds: 1_000 },
    );
    // Loose bounds: the machine is shared, and the point is the median, not a precise factor.
    expect(large!.medianNs / small!.medianNs).toBeGreaterThan(4);
    expect(large!.medianNs / small!.medianNs).toBeLessThan(25);
    expect(small!.batch).toBeGreaterThan(large!.batch);
  });
});
