import { describe, expect, it } from 'vitest';
import type { Results, ScenarioResult } from '../bench/results/results-types.js';
import { makeResults } from '../test/reports/fixtures/make-results.js';
import { buildReportModel, intervalMethodOf, referenceVariant } from './report-model.js';

describe('the report model', () => {
  const results = makeResults();

  it('compares every variant with rest-json-h1 when it ran, else with the first variant', () => {
    expect(referenceVariant(['grpc', 'rest-json-h1'])).toBe('rest-json-h1');
    expect(referenceVariant(['grpc-connect', 'grpc'])).toBe('grpc-connect');
    const model = buildReportModel(makeResults({ variants: ['grpc', 'grpc-connect', 'rest-json-h1'] }));
    expect(model.scenarios[0]!.rows.map((r) => [r.variant, r.isReference])).toEqual([
      ['grpc', false],
      ['grpc-connect', false],
      ['rest-json-h1', true],
    ]);
  });

  it('names a winner only when the paired ratio’s interval excludes 1', () => {
    const model = buildReportModel(results);
    const grpc = model.scenarios[0]!.rows[0]!;
    expect(grpc.figures.rps.verdict).toBe('better');
    expect(grpc.figures.rps.ratio).toBeCloseTo(
      grpc.figures.rps.median / model.scenarios[0]!.rows[1]!.figures.rps.median,
    );
    // The p99 per-variant intervals overlap in the fixture, but grpc is lower in every pair.
    expect(grpc.figures.p99.verdict).toBe('better');
    // p99.9 too: grpc and rest-json-h1 are different server processes, so the process spread
    // joins the interval as a known variance, which gives the 3 pairs more degrees of freedom
    // (Welch–Satterthwaite) than their own spread alone.
    expect(grpc.verdict).toBe(
      'grpc better: throughput, p50, p99, p99.9, request size, response size, server CPU',
    );

    // A drift that moves both variants alike cancels in the pairs: still better.
    const drifting = (factor: (variant: string, i: number) => number): Results => ({
      ...results,
      scenarios: results.scenarios.map((s) => ({
        ...s,
        repetitions: s.repetitions.map((r, i) => ({ ...r, rps: r.rps * factor(s.variant, i) })),
      })),
    });
    const rpsVerdict = (r: Results) => buildReportModel(r).scenarios[0]!.rows[0]!.figures.rps.verdict;
    expect(rpsVerdict(drifting((_, i) => [0.5, 1, 1.5][i]!))).toBe('better');
    // Noise in one variant alone does not: no winner.
    expect(rpsVerdict(drifting((v, i) => (v === 'grpc' ? [0.5, 1, 1.5][i]! : 1)))).toBe('undecided');
  });

  it('finds the warnings a reader must see: saturation, errors, unsent requests, unfair policies, dirty trees', () => {
    const first = results.scenarios[0]!;
    const changed: ScenarioResult = {
      ...first,
      connectionPolicy: { connections: 4, inFlightPerConnection: 8 },
      counts: { ...first.counts, sent: first.counts.sent + 5, notSent: 5 },
    };
    const model = buildReportModel({
      ...results,
      environment: { ...results.environment, gitDirty: true },
      scenarios: [changed, ...results.scenarios.slice(1)],
    });
    const messages = model.warnings.map((w) => `${w.where}: ${w.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^classify\/grpc: Driver saturated in 1 of 3 repetitions/),
      expect.stringMatching(/^classify\/grpc: 5 scheduled requests were never sent/),
      expect.stringMatching(
        /^classify\/rest-json-h1: 239 of 56,265 requests \(0\.42%\) failed or timed out: UNAVAILABLE 164, INTERNAL 47, timed out 28\.$/,
      ),
      expect.stringMatching(/^classify-open-800\/rest-json-h1: /),
      expect.stringMatching(/^classify: The variants ran with different connection policies \(4×8, 2×8\)/),
      expect.stringMatching(/^run: Measured from a working tree with uncommitted changes/),
    ]);
    // The run recorded the saturation too: the report states it once, from the repetitions.
    expect(model.recordedWarnings.map((w) => w.where)).toEqual([
      'classify/rest-json-h1',
      'classify-open-800/rest-json-h1',
    ]);
  });

  it("reads the interval method from the run's free-text estimate methods", () => {
    expect(intervalMethodOf('95% Student-t interval of the mean over repetitions', 3)).toBe('student-t-mean');
    expect(intervalMethodOf('student-t-mean', 3)).toBe('student-t-mean');
    expect(intervalMethodOf('bootstrap-percentile-median', 7)).toBe('bootstrap-percentile-median');
    expect(intervalMethodOf('no interval: fewer than 2 repetitions', 1)).toBeUndefined();
    expect(intervalMethodOf('95% Student-t interval of the mean over repetitions', 1)).toBeUndefined();
  });
});
