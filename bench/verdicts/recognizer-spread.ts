import { defaultProcessSpread } from '../stats/process-spread.js';
import {
  crossValidatedSpreads,
  decide,
  emptyTally,
  estimateProcessSpread,
  share,
  type Tally,
} from './calibration-score.js';
import type { RepetitionFigures } from './measure-repetition.js';

/**
 * Whether the process spread holds for calls that wait on the native recognizer: the classify
 * calibration's spread comes from processes whose time is JIT-compiled JavaScript, and `run` adds
 * it to every comparison across processes, also where a call spends most of a second in
 * PocketSphinx's C code on an engine thread. Three fresh grpc-js servers with the real recognizer
 * per round (A/A/A), measured in the quick suite's transcribe-and-classify-command shape.
 */
export interface RecognizerRound {
  readonly round: number;
  readonly figures: Readonly<Record<RecognizerServer, readonly RepetitionFigures[]>>;
}

export type RecognizerServer = 'A1' | 'A2' | 'A3';
export const recognizerServers: readonly RecognizerServer[] = ['A1', 'A2', 'A3'];

const pairsOfServers = [
  ['A1', 'A2'],
  ['A1', 'A3'],
  ['A2', 'A3'],
] as const;

const figures = [
  { figure: 'rps', pick: (r: RepetitionFigures) => r.rps },
  { figure: 'p50Us', pick: (r: RepetitionFigures) => r.p50Us },
  { figure: 'p99Us', pick: (r: RepetitionFigures) => r.p99Us },
] as const;

export type RecognizerFigure = (typeof figures)[number]['figure'];

const answers = (r: RepetitionFigures) => r.counts.ok + r.counts.failed;

function aaPairs(rounds: readonly RecognizerRound[], pick: (r: RepetitionFigures) => number | undefined) {
  return rounds.flatMap((round) =>
    pairsOfServers.flatMap(([x, y]) => {
      const a = round.figures[x].map(pick);
      const b = round.figures[y].map(pick);
      const known = (v: (number | undefined)[]): v is number[] => v.every((n) => n !== undefined);
      return known(a) && known(b)
        ? [{ a, b, counts: { a: round.figures[x].map(answers), b: round.figures[y].map(answers) } }]
        : [];
    }),
  );
}

/**
 * Per figure: the spread between processes, and the A/A false alarms of the paired verdict as
 * `run` makes it (a rate with its counting variance), without and with the spread (estimated on
 * the other half of the rounds, so that no comparison is judged by a spread it shaped).
 */
export function recognizerTable(rounds: readonly RecognizerRound[]): {
  readonly lines: string[];
  readonly processSpread: Record<RecognizerFigure, number>;
} {
  const processSpread = { rps: 0, p50Us: 0, p99Us: 0 };
  const lines = [
    "| figure | process spread | A/A false alarm, pairs only (nominal 5%) | + process spread (cross-validated) | + run's process spread |",
    '|---|---:|---:|---:|---:|',
  ];
  for (const { figure, pick } of figures) {
    const all = aaPairs(rounds, pick);
    if (all.length === 0) continue;
    processSpread[figure] = estimateProcessSpread(all);
    const spreads = crossValidatedSpreads(rounds, (some) => aaPairs(some, pick));
    const tally = (spreadOf: (round: RecognizerRound) => number): Tally => {
      const t = emptyTally();
      for (const round of rounds) {
        for (const pair of aaPairs([round], pick)) {
          const { aLarger } = decide('paired', pair.a, pair.b, {
            processSpread: spreadOf(round),
            ...(figure === 'rps' ? { counts: pair.counts } : {}),
          });
          t.comparisons++;
          if (aLarger !== undefined) t.calls++;
        }
      }
      return t;
    };
    const pairsOnly = share(
      tally(() => 0),
      'calls',
    );
    const crossValidated = share(
      tally((round) => spreads[1 - (round.round % 2)]!),
      'calls',
    );
    const runs = share(
      tally(() => defaultProcessSpread[figure]),
      'calls',
    );
    const halves = spreads.map((x) => `${(x * 100).toFixed(1)}%`).join(' / ');
    lines.push(
      `| ${figure} | ${(processSpread[figure] * 100).toFixed(1)}% (halves ${halves}) | ${pairsOnly} | ${crossValidated} | ${runs} |`,
    );
  }
  return { lines, processSpread };
}
