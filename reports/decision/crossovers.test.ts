import { describe, expect, it } from 'vitest';
import { sweepResults } from '../../test/reports/fixtures/sweep-results.js';
import { crossoverOf, crossoversOf } from './crossovers.js';
import { sweepsOf } from './sweeps.js';

/** grpc's p50 ÷ rest-json-h1's grows with size: ×0.5 at 1 KB … ×4 at 1 MB, through 1 near 32 KB. */
const flipping = sweepResults([
  {
    scenario: 'tiny',
    network: 'wan',
    sizeBytes: 1_000,
    variants: { grpc: { p50Ms: 50 }, 'rest-json-h1': { p50Ms: 100 } },
  },
  {
    scenario: 'small',
    network: 'wan',
    sizeBytes: 10_000,
    variants: { grpc: { p50Ms: 70 }, 'rest-json-h1': { p50Ms: 100 } },
  },
  {
    scenario: 'large',
    network: 'wan',
    sizeBytes: 100_000,
    variants: { grpc: { p50Ms: 200 }, 'rest-json-h1': { p50Ms: 120 } },
  },
  {
    scenario: 'huge',
    network: 'wan',
    sizeBytes: 1_000_000,
    variants: { grpc: { p50Ms: 800 }, 'rest-json-h1': { p50Ms: 200 } },
  },
]);

describe('size sweeps and crossovers', () => {
  it('groups scenarios by network and tuning and orders them by the request bytes the results record', () => {
    const results = sweepResults([
      { scenario: 'b', network: 'wan', sizeBytes: 900_000, variants: { grpc: { p50Ms: 5 } } },
      { scenario: 'a', network: 'wan', sizeBytes: 300, variants: { grpc: { p50Ms: 1 } } },
      { scenario: 'c', network: 'lan', sizeBytes: 300, variants: { grpc: { p50Ms: 1 } } },
      { scenario: 'd', network: 'wan', tuning: 'tuned', sizeBytes: 300, variants: { grpc: { p50Ms: 1 } } },
    ]);
    const sweeps = sweepsOf(results);
    expect(sweeps.map((s) => [s.network.name, s.tuning, s.points.map((p) => p.scenario)])).toEqual([
      ['wan', 'default', ['a', 'b']],
      ['lan', 'default', ['c']],
      ['wan', 'tuned', ['d']],
    ]);
    expect(sweeps[0]!.points[1]!.sizeBytes).toBeGreaterThan(880_000);
    expect(sweeps[0]!.points[1]!.sizeBytes).toBeLessThan(920_000);
  });

  it('interpolates the size where the winner changes on log size, inside the interval it reports', () => {
    const [sweep] = sweepsOf(flipping);
    const crossover = crossoverOf(sweep!, 'grpc', 'rest-json-h1', 'p50');
    expect(crossover.atSizes.map((p) => p.winner)).toEqual(['grpc', 'grpc', 'rest-json-h1', 'rest-json-h1']);
    expect(crossover.changes).toHaveLength(1);
    const change = crossover.changes[0]!;
    expect(change).toMatchObject({ from: 'grpc', to: 'rest-json-h1' });
    // log-ratio −0.36 at 10 KB and +0.51 at 100 KB: crossing at 10^(4 + 0.36/0.87) ≈ 26 KB.
    expect(change.sizeBytes).toBeGreaterThan(20_000);
    expect(change.sizeBytes).toBeLessThan(33_000);
    expect(change.low).toBeLessThanOrEqual(change.sizeBytes);
    expect(change.high).toBeGreaterThanOrEqual(change.sizeBytes);
    expect(change.low).toBeGreaterThanOrEqual(10_000);
    expect(change.high).toBeLessThanOrEqual(100_000);
    expect(crossover.text).toMatch(
      /^grpc → rest-json-h1 at ≈ 2\d(\.\d)? KiB \(95%: .*–.*; measured 10,000 B and 97\.7 KiB\)$/,
    );
  });

  it('says "none between X and Y" when the winner holds, and never calls an equivalent pair a win', () => {
    const holding = sweepResults([
      {
        scenario: 's',
        sizeBytes: 1_000,
        variants: { grpc: { p50Ms: 10 }, 'rest-binary-h1': { p50Ms: 10.1 } },
      },
      {
        scenario: 'l',
        sizeBytes: 1_000_000,
        variants: { grpc: { p50Ms: 100 }, 'rest-binary-h1': { p50Ms: 100.5 } },
      },
    ]);
    const crossover = crossoverOf(sweepsOf(holding)[0]!, 'grpc', 'rest-binary-h1', 'p50');
    expect(crossover.atSizes.map((p) => p.kind)).toEqual(['equivalent', 'equivalent']);
    expect(crossover.changes).toEqual([]);
    expect(crossover.text).toBe('none between 1,000 B and 977 KiB: equivalent at every size');
  });

  it('does not invent a crossover across undecided sizes, and lists every headline pair it can', () => {
    const noisy = sweepResults(
      [
        {
          scenario: 's',
          sizeBytes: 1_000,
          variants: { grpc: { p50Ms: 10 }, 'rest-json-h1': { p50Ms: 10.5 } },
        },
        {
          scenario: 'l',
          sizeBytes: 1_000_000,
          variants: { grpc: { p50Ms: 100 }, 'rest-json-h1': { p50Ms: 95 } },
        },
      ],
      { noise: 0.4, repetitions: 3 },
    );
    const crossover = crossoverOf(sweepsOf(noisy)[0]!, 'grpc', 'rest-json-h1', 'p50');
    expect(crossover.atSizes.map((p) => p.kind)).toEqual(['undecided', 'undecided']);
    expect(crossover.changes).toEqual([]);
    expect(crossover.text).toBe('none between 1,000 B and 977 KiB: undecided at every size');
    expect(crossoversOf(sweepsOf(flipping)).map((c) => `${c.a} ÷ ${c.b} ${c.figure}`)).toEqual([
      'grpc ÷ rest-json-h1 p50',
      'grpc ÷ rest-json-h1 rps',
    ]);
  });
});
