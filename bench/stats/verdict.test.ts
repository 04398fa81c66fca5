import { describe, expect, it } from 'vitest';
import { pairedRatio } from './paired-ratio.js';
import { studentTQuantile } from './student-t.js';
import { countVerdicts, pairsToNarrow, verdictOf } from './verdict.js';

const names = { a: 'grpc', b: 'rest-json-h1' };

describe('verdict kinds', () => {
  it('names the faster side when the interval excludes 1, by the figure’s direction', () => {
    // The run: every grpc repetition below every rest-json-h1 one. Three pairs (2 degrees of
    // freedom, t = 4.3) cannot resolve it, and say so; six such pairs can.
    const grpc = [18_422, 11_622, 14_826];
    const rest = [24_161, 23_140, 23_303];
    const three = verdictOf(pairedRatio(grpc, rest), { better: 'higher', ...names });
    expect(three.kind).toBe('undecided');
    const rps = pairedRatio([...grpc, ...grpc], [...rest, ...rest]);
    const verdict = verdictOf(rps, { better: 'higher', ...names });
    expect(verdict.kind).toBe('faster');
    expect(verdict.winner).toBe('b');
    expect(verdict.text).toMatch(/^rest-json-h1 faster by 60% \(a ÷ b 0.62 /);
    // Latency a ÷ b below 1 means a is faster.
    const p50 = verdictOf({ centre: 0.8, low: 0.7, high: 0.9 }, { better: 'lower', ...names });
    expect(p50).toMatchObject({ kind: 'faster', winner: 'a' });
    expect(p50.percent).toBeCloseTo(25, 6);
  });

  it('says "no difference larger than Y%" when the interval lies inside the margin', () => {
    const verdict = verdictOf({ centre: 1.01, low: 0.97, high: 1.04 }, { better: 'higher', ...names });
    expect(verdict).toMatchObject({ kind: 'equivalent', percent: 4 });
    expect(verdict.text).toMatch(/^no difference larger than 4%/);
    // 0.9 is 11.1% below on the log scale (÷0.9), not 10%: both sides are treated alike.
    expect(
      verdictOf({ centre: 1, low: 0.9, high: 1.02 }, { better: 'higher', ...names, marginPercent: 15 })
        .percent,
    ).toBe(12);
  });

  it('is undecided when the interval straddles 1 and reaches past the margin, and says what it can resolve', () => {
    const verdict = verdictOf({ centre: 1.05, low: 0.8, high: 1.3 }, { better: 'higher', ...names });
    expect(verdict.kind).toBe('undecided');
    expect(verdict.percent).toBeCloseTo((Math.sqrt(1.3 / 0.8) - 1) * 100, 6);
    expect(verdict.text).toMatch(/cannot tell differences under 27%/);
  });

  it('projects how many pairs would narrow an undecided interval, from the spread its pairs showed', () => {
    // Six pairs whose log-ratios spread by 0.1 (one server process, no counts).
    const logRatios = [0.12, -0.05, 0.1, -0.11, 0.02, 0.04];
    const interval = pairedRatio(
      logRatios.map((r) => 1000 * Math.exp(r)),
      logRatios.map(() => 1000),
    )!;
    const sd = Math.sqrt(interval.pairVariance);
    expect(interval.sharedVariance).toBe(0);
    const verdict = verdictOf(interval, { better: 'higher', ...names });
    expect(verdict.kind).toBe('undecided');
    const pairs = pairsToNarrow(interval, 10);
    expect(typeof pairs).toBe('number');
    // The smallest n whose t interval of n pairs lies within ±10%, computed here directly.
    const halfWidth = (n: number) => studentTQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
    expect(halfWidth(pairs as number)).toBeLessThanOrEqual(Math.log(1.1));
    expect(halfWidth((pairs as number) - 1)).toBeGreaterThan(Math.log(1.1));
    expect(verdict.text).toMatch(new RegExp(`; about ${pairs} pairs would narrow it to ±10%$`));
  });

  it('says no number of pairs would, when the spread between server processes alone is wider than the margin', () => {
    expect(pairsToNarrow({ pairVariance: 0.01, sharedVariance: 0.064 ** 2 }, 10)).toBe('never');
    expect(pairsToNarrow({ pairVariance: 0.01, sharedVariance: 0.03 ** 2 }, 10)).toBeGreaterThan(7);
    expect(pairsToNarrow({ pairVariance: 25, sharedVariance: 0 }, 10)).toBe('more');
    const between = pairedRatio([900, 1100, 950, 1200], [1000, 1000, 1000, 1000], { processSpread: 0.064 });
    expect(verdictOf(between, { better: 'higher', ...names }).text).toMatch(
      /; no number of pairs would narrow it to ±10%: two server processes of one kind alone spread 6\.4%$/,
    );
  });

  it('says a single repetition has no interval', () => {
    const verdict = verdictOf(pairedRatio([536], [540]), {
      better: 'higher',
      ...names,
      noInterval: 'one repetition',
    });
    expect(verdict.kind).toBe('undecided');
    expect(verdict.text).toBe('undecided: one repetition, no interval');
  });

  it('counts each kind', () => {
    expect(countVerdicts(['faster', 'undecided', 'faster', 'equivalent'])).toEqual({
      faster: 2,
      equivalent: 1,
      undecided: 1,
    });
  });
});
