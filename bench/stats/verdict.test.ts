import { describe, expect, it } from 'vitest';
import { pairedRatio } from './paired-ratio.js';
import { countVerdicts, verdictOf } from './verdict.js';

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
