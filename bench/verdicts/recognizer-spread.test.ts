import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../accounting/request-counts.js';
import { mulberry32 } from '../stats/prng.js';
import type { RepetitionFigures } from './measure-repetition.js';
import { type RecognizerRound, recognizerTable } from './recognizer-spread.js';

/** Rounds of three servers whose figures scatter by `noise` per repetition around a per-process level. */
function rounds(count: number, processSd: number, noise: number, seed: number): RecognizerRound[] {
  const random = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const server = (): RepetitionFigures[] => {
    const level = Math.exp(processSd * gauss());
    return Array.from({ length: 4 }, () => {
      const f = level * Math.exp(noise * gauss());
      const ok = Math.round(8 * f);
      return {
        rps: ok / 1.25,
        p50Us: 300_000 / f,
        p99Us: 450_000 / f,
        perSecond: [],
        failed: 0,
        counts: { ...emptyCounts(), sent: ok, ok },
      };
    });
  };
  return Array.from({ length: count }, (_, round) => ({
    round,
    figures: { A1: server(), A2: server(), A3: server() },
  }));
}

describe('recognizerTable', () => {
  it('finds the spread between processes that the pairs cannot show', () => {
    const { processSpread } = recognizerTable(rounds(40, 0.1, 0.02, 7));
    // SD of log(a ÷ b) between two processes is √2 × each one's.
    expect(processSpread.p50Us).toBeGreaterThan(0.1);
    expect(processSpread.p50Us).toBeLessThan(0.2);
  });
  it('finds none when the processes are alike, and prints one row per figure', () => {
    const { processSpread, lines } = recognizerTable(rounds(40, 0, 0.02, 11));
    expect(processSpread.p50Us).toBeLessThan(0.01);
    expect(lines).toHaveLength(2 + 3);
  });
});
