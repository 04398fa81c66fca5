import { describe, expect, it } from 'vitest';
import { pValueOf } from './log-interval.js';
import { mulberry32 } from './prng.js';
import { estimateRunSpread, logChange, relativeChange, runRatio } from './run-ratio.js';

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
    const estimated = estimateRunSpread(pairs.map((pair) => logChange(pair.baseline, pair.current)));
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

  it("takes a variant's change against its neighbours: a shift of the whole run cancels, its own does not", () => {
    const random = mulberry32(3);
    const shifted = (level: number, shift: number) => run(random, 8, level * shift, 0);
    const own = logChange(shifted(1000, 1), shifted(1000, 0.8 * 0.75))!;
    const others = [
      logChange(shifted(500, 1), shifted(500, 0.8))!,
      logChange(shifted(700, 1), shifted(700, 0.8))!,
    ];
    const relative = relativeChange(own, others);
    expect(Math.exp(relative.difference)).toBeCloseTo(0.75, 1);
    // Its variance: the variant's own terms and each other's divided by k² = 4.
    expect(relative.terms).toHaveLength(6);
    expect(relative.terms[2]!.variance).toBeCloseTo(others[0]!.terms[0]!.variance / 4, 12);
    expect(Math.exp(relativeChange(others[0]!, [others[1]!]).difference)).toBeCloseTo(1, 1);
  });
});
