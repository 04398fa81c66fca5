import { describe, expect, it } from 'vitest';
import { makeResults } from '../../test/reports/fixtures/make-results.js';
import { formatSummary } from './format-summary.js';
import type { Comparison } from './results-types.js';
import { compareVariants } from './summarize-scenario.js';

const base = { scenario: 'classify', b: 'rest-json-h1', figure: 'rps', ratio: 1, pairs: 6 } as const;
const undecided = (a: Comparison['a'], pairsToNarrow: Comparison['pairsToNarrow']): Comparison => ({
  ...base,
  a,
  kind: 'undecided',
  verdict: 'undecided: …',
  ...(pairsToNarrow !== undefined ? { pairsToNarrow } : {}),
});

describe('formatSummary', () => {
  it('counts the verdicts and says what would settle the undecided ones', () => {
    const results = {
      ...makeResults(),
      comparisons: [
        { ...base, a: 'grpc', kind: 'faster', verdict: 'grpc faster by 20% (…)' },
        undecided('grpc-connect', 'never'),
        undecided('rest-json-h2', 'never'),
        undecided('rest-proto-h1', 19),
        undecided('rest-binary-h1', 6),
      ],
    } satisfies ReturnType<typeof makeResults>;
    expect(formatSummary(results)).toContain(
      '5 comparisons (paired repetitions, 95% intervals): 1 faster, 0 equivalent (no difference beyond ±10%), 4 undecided (2 between two server processes, which no number of pairs would narrow to ±10%; 2 that 6–19 pairs would)\n',
    );
  });

  it('adds nothing to the count when no undecided verdict has a projection (older results)', () => {
    const results = { ...makeResults(), comparisons: [undecided('grpc', undefined)] };
    expect(formatSummary(results)).toContain('1 undecided\n');
  });

  it('gets its projections from the run’s own comparisons', () => {
    const grpc = makeResults({ repetitions: 6 }).scenarios.find((s) => s.scenario === 'classify')!;
    const swing = [1.2, 0.8, 1.1, 0.9, 1.25, 0.85];
    const sameFigures = (variant: Comparison['a'], scale: (i: number) => number) => ({
      ...grpc,
      variant,
      repetitions: grpc.repetitions.map((r, i) => ({ ...r, rps: r.rps * scale(i) })),
    });
    // Another server process, the same figures: only the spread between processes is left, and pairs do not divide it.
    const across = compareVariants(
      grpc,
      sameFigures('rest-json-h1', () => 1),
    ).find((c) => c.figure === 'rps')!;
    expect(across).toMatchObject({ kind: 'undecided', pairsToNarrow: 'never' });
    // One Fastify process, figures that swing ±20% pair by pair: more pairs would settle it.
    const within = compareVariants(
      sameFigures('rest-proto-h1', (i) => swing[i]!),
      sameFigures('rest-json-h1', () => 1),
    ).find((c) => c.figure === 'rps')!;
    expect(within.kind).toBe('undecided');
    expect(within.pairsToNarrow).toBeGreaterThan(6);
    expect(within.verdict).toContain(`; about ${within.pairsToNarrow} pairs would narrow it to ±10%`);
  });
});
