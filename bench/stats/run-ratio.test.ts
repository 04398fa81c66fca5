import { describe, expect, it } from 'vitest';
import { pValueOf } from './log-interval.js';
import { mulberry32 } from './prng.js';
import { estimateRunSpread, runRatio } from './run-ratio.js';

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** One run: a run-level shift (σ `spread`) common to its repetitions, each with its own noise (σ 5%). */
function run(random: () => number, n: number, level: number, spread: number): number[] {
  const shift = spread * normal(random);
  return Array.from({ length: n }, () => level * Math.exp(shift + 0.05 * normal(random)));
}

describe('baseline ÷ current across runs', () => {
  it('is the ratio of geometric means, wider with the run-to-run spread', () => {
    const plain = runRatio([100, 110, 90], [80, 88, 72])!;
    expect(plain.centre).toBeCloseTo(0.8, 10);
    const wider = runRatio([100, 110, 90], [80, 88, 72], { runSpread: 0.2 })!;
    expect(wider.high - wider.low).toBeGreaterThan(plain.high - plain.low);
    expect(runRatio([100], [80, 90])).toBeUndefined();
  });

  it('estimates the run spread from A/A pairs of runs, and with it holds the false-alarm rate', () => {
    const random = mulberry32(16);
    const spread = 0.06;
    const pairs = Array.from({ length: 400 }, () => ({
      baseline: run(random, 8, 1000, spread),
      current: run(random, 8, 1000, spread),
    }));
    const estimated = estimateRunSpread(pairs);
    // Two runs' shifts: the difference has √2 × spread.
    expect(estimated.runSpread).toBeGreaterThan(0.07);
    expect(estimated.runSpread).toBeLessThan(0.1);
    let alarmsWithout = 0;
    let alarmsWith = 0;
    for (const pair of pairs) {
      if (pValueOf(runRatio(pair.baseline, pair.current)!) < 0.05) alarmsWithout++;
      if (pValueOf(runRatio(pair.baseline, pair.current, estimated)!) < 0.05) alarmsWith++;
    }
    expect(alarmsWithout / pairs.length).toBeGreaterThan(0.3);
    expect(alarmsWith / pairs.length).toBeLessThan(0.08);
  });
});
