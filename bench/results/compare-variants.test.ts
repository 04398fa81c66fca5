import { describe, expect, it } from 'vitest';
import { makeResults } from '../../test/reports/fixtures/make-results.js';
import { defaultProcessSpread } from '../stats/process-spread.js';
import type { ScenarioResult } from './results-types.js';
import { compareVariants, sameServer } from './summarize-scenario.js';

describe('compareVariants', () => {
  const results = makeResults({ variants: ['grpc', 'rest-json-h1'] });
  const pairOf = (open: boolean) => {
    const scenarios = results.scenarios.filter((s) => (s.loadModel.model === 'open') === open);
    const a = scenarios.find((s) => s.variant === 'grpc');
    const b = scenarios.find((s) => s.variant === 'rest-json-h1' && s.scenario === a?.scenario);
    if (!a || !b) throw new Error(`the fixture has no ${open ? 'open' : 'closed'}-loop pair`);
    return [a, b] as const;
  };

  it('judges throughput under a closed loop, beside the latencies', () => {
    expect(compareVariants(...pairOf(false)).map((c) => c.figure)).toEqual(['rps', 'p50Us', 'p99Us']);
  });

  it('draws no throughput verdict under an open loop: the arrival rate set it for both', () => {
    expect(compareVariants(...pairOf(true)).map((c) => c.figure)).toEqual(['p50Us', 'p99Us']);
  });

  it('adds the spread between server processes only where the two variants reach different servers', () => {
    const [grpc, rest] = pairOf(false);
    // The same repetitions, once as a variant the REST server serves and once as grpc.
    const asRestProto: ScenarioResult = { ...grpc, variant: 'rest-proto-h1' };
    const width = (a: ScenarioResult) => {
      const c = compareVariants(a, rest).find((x) => x.figure === 'p50Us')!;
      return Math.log(c.interval!.high / c.interval!.low) / 2;
    };
    expect(sameServer('rest-proto-h1', 'rest-json-h1')).toBe(true);
    expect(sameServer('grpc', 'rest-json-h1')).toBe(false);
    // Half-widths on the log scale: the process spread's term is at least z·spread wide on its own.
    expect(width(grpc)).toBeGreaterThan(width(asRestProto));
    expect(width(grpc)).toBeGreaterThan(1.96 * defaultProcessSpread.p50Us);
  });
});
