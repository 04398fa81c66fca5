import { geometricMeanOf } from '../stats/log-interval.js';
import { defaultProcessSpread } from '../stats/process-spread.js';
import type { Design, DesignId } from './calibration-designs.js';
import {
  crossValidatedSpreads,
  type DesignMethod,
  decide,
  emptyTally,
  estimateProcessSpread,
  share,
  type Tally,
  tallyDecision,
} from './calibration-score.js';
import type { RepetitionFigures } from './measure-repetition.js';

export type ServerName = 'A1' | 'A2' | 'A3' | 'B10' | 'B25';

export interface CalibrationRound {
  readonly design: DesignId;
  readonly round: number;
  /** Without A2 and A3 when the run measured the effects only (`--effects-only`). */
  readonly figures: Readonly<Partial<Record<ServerName, readonly RepetitionFigures[]>>>;
}

export interface LongRunRatio {
  readonly effect: '10%' | '25%';
  readonly throughput: number;
  readonly p50: number;
}

const comparisons = [
  { a: 'A1', b: 'A2', effect: 'A/A' },
  { a: 'A1', b: 'A3', effect: 'A/A' },
  { a: 'A2', b: 'A3', effect: 'A/A' },
  // Every plain server against each burning one: A1 alone would judge power by the server at the
  // ends of the schedule (first in even rounds, last in odd ones), the noisiest position.
  ...(['A1', 'A2', 'A3'] as const).flatMap((a) => [
    { a, b: 'B10', effect: '10%' } as const,
    { a, b: 'B25', effect: '25%' } as const,
  ]),
] as const;

const figures = [
  { figure: 'throughput', pick: (r: RepetitionFigures) => r.rps },
  { figure: 'p50', pick: (r: RepetitionFigures) => r.p50Us },
] as const;

type Figure = (typeof figures)[number]['figure'];

function tallies(
  method: DesignMethod,
  rounds: readonly CalibrationRound[],
  longRun: readonly LongRunRatio[],
  figure: (typeof figures)[number],
  spreadFor: (round: CalibrationRound) => number,
): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const round of rounds) {
    for (const c of comparisons) {
      const a = round.figures[c.a];
      const b = round.figures[c.b];
      if (!a || !b) continue;
      const tally = out.get(c.effect) ?? emptyTally();
      out.set(c.effect, tally);
      const decision = decide(method, a.map(figure.pick), b.map(figure.pick), {
        processSpread: spreadFor(round),
      });
      const long = longRun.find((l) => l.effect === c.effect);
      // The unburned server is faster: higher throughput, lower p50.
      const truth = c.effect === 'A/A' ? undefined : figure.figure === 'throughput';
      tallyDecision(tally, decision, truth, long ? long[figure.figure] : 1);
    }
  }
  return out;
}

/**
 * The truth the intervals should cover: a ÷ b over every repetition of every round of both
 * designs (minutes of interleaved measurement). On a shared machine the injected cost's effect
 * moves with the load (a CPU-starved server feels every µs), so a separate long run, made at
 * another time, measures another effect; this one is made over the same minutes.
 */
export function pooledRatios(rounds: readonly CalibrationRound[]): LongRunRatio[] {
  const pooled = (names: readonly ServerName[], pick: (r: RepetitionFigures) => number) =>
    geometricMeanOf(
      rounds.flatMap((round) => names.flatMap((name) => (round.figures[name] ?? []).map(pick))),
    );
  const plain = ['A1', 'A2', 'A3'] as const;
  return (['B10', 'B25'] as const).map((b) => ({
    effect: b === 'B10' ? '10%' : '25%',
    throughput: pooled(plain, (r) => r.rps) / pooled([b], (r) => r.rps),
    p50: pooled(plain, (r) => r.p50Us) / pooled([b], (r) => r.p50Us),
  }));
}

/** The quick suite's repetitions per variant (bench/scenarios/suites/quick.yaml). */
const quickPairs = 6;

function firstPairs(round: CalibrationRound): CalibrationRound {
  return {
    ...round,
    figures: Object.fromEntries(
      Object.entries(round.figures).map(([name, reps]) => [name, reps?.slice(0, quickPairs)]),
    ),
  };
}

const aaPairs = (rounds: readonly CalibrationRound[], pick: (r: RepetitionFigures) => number) =>
  rounds.flatMap((round) =>
    comparisons
      .filter((c) => c.effect === 'A/A' && round.figures[c.a] && round.figures[c.b])
      .map((c) => ({ a: round.figures[c.a]!.map(pick), b: round.figures[c.b]!.map(pick) })),
  );

/**
 * The calibration table: per design and figure, A/A false alarms, power at 10% and 25%, coverage.
 * A paired design is shown as is, with the process spread estimated on the other half of the
 * rounds (even from odd, odd from even, so that no comparison is judged by a spread it shaped),
 * and with the spread run adds (process-spread.ts).
 */
export function calibrationTable(
  designs: readonly Design[],
  rounds: readonly CalibrationRound[],
): { lines: string[]; processSpread: Record<Figure, number>; pooled: readonly LongRunRatio[] } {
  const longRun = pooledRatios(rounds);
  const lines = [
    '| design | figure | A/A false alarm (nominal 5%) | power at 10% | power at 25% | coverage (nominal 95%) |',
    '|---|---|---:|---:|---:|---:|',
  ];
  const processSpread = { throughput: 0, p50: 0 };
  const row = (name: string, figure: Figure, t: Map<string, Tally>) => {
    const coverage = emptyTally();
    for (const one of t.values()) {
      coverage.withInterval += one.withInterval;
      coverage.covered += one.covered;
    }
    lines.push(
      `| ${name} | ${figure} | ${share(t.get('A/A'), 'calls')} | ${share(t.get('10%'), 'calls')} | ${share(t.get('25%'), 'calls')} | ${share(coverage, 'covered')} |`,
    );
  };
  const paired = rounds.filter((round) => designs.find((d) => d.id === round.design)?.method === 'paired');
  for (const design of designs) {
    const mine = rounds.filter((r) => r.design === design.id);
    if (mine.length === 0) continue;
    for (const figure of figures) {
      const judge = (
        name: string,
        judged: readonly CalibrationRound[],
        spreadFor: (r: CalibrationRound) => number,
      ) => row(name, figure.figure, tallies(design.method, judged, longRun, figure, spreadFor));
      judge(design.name, mine, () => 0);
      if (design.method !== 'paired') continue;
      processSpread[figure.figure] = estimateProcessSpread(aaPairs(paired, figure.pick));
      const runs = defaultProcessSpread[figure.figure === 'throughput' ? 'rps' : 'p50Us'];
      const asRun = `+ run's process spread (${(runs * 100).toFixed(1)}%)`;
      // Without A/A rounds (--effects-only) there is no spread to cross-validate.
      if (aaPairs(mine, figure.pick).length > 0) {
        const spreads = crossValidatedSpreads(mine, (rounds) => aaPairs(rounds, figure.pick));
        judge(
          `${design.name}, + process spread (cross-validated: ${spreads.map((s) => `${(s * 100).toFixed(1)}%`).join(' / ')})`,
          mine,
          (round) => spreads[1 - (round.round % 2)]!,
        );
      }
      judge(`${design.name}, ${asRun}: as run judges it`, mine, () => runs);
      if (design.id !== 'paired') continue;
      // The quick suite runs 6 pairs: the same rounds, cut to their first 6.
      judge(
        `${design.name}, first ${quickPairs} pairs ${asRun}: the quick suite's setting, as run judges it`,
        mine.map(firstPairs),
        () => runs,
      );
    }
  }
  return { lines, processSpread, pooled: longRun };
}
