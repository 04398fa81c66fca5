import { describe, expect, it } from 'vitest';
import { makeResults } from '../../test/reports/fixtures/make-results.js';
import { compareVariants } from './summarize-scenario.js';

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
});
