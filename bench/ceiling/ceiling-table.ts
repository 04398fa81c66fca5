/** The verdict of one pair (our driver against a reference tool) and its table. */
import type { RunMeasurement } from './ceiling-types.js';

export interface PairResult {
  readonly title: string;
  readonly ours: string;
  readonly reference: string;
  /** Repetition i ran ours[i], then reference[i]. */
  readonly oursRuns: readonly RunMeasurement[];
  readonly referenceRuns: readonly RunMeasurement[];
}

export interface PairVerdict {
  readonly ratios: readonly number[];
  readonly medianRatio: number;
  readonly pass: boolean;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Ratios per repetition, since the server drifts between repetitions more than within one A-B step. */
export function verdictOf(pair: PairResult, threshold: number): PairVerdict {
  const ratios = pair.oursRuns.map(
    (ours, i) => ours.requestsPerSecond / pair.referenceRuns[i]!.requestsPerSecond,
  );
  const medianRatio = median(ratios);
  return { ratios, medianRatio, pass: medianRatio >= threshold };
}

const rps = (value: number) => value.toFixed(0).padStart(9);
const cpu = (busy: number | undefined) =>
  busy === undefined ? '' : `${(busy * 100).toFixed(0)}%`.padStart(9);

export function formatPair(pair: PairResult, threshold: number): string {
  const verdict = verdictOf(pair, threshold);
  const lines = [
    `${pair.title}`,
    `  rep  ${pair.ours.padStart(9)}  ${pair.reference.padStart(9)}   ours÷ref   ours' CPU   (req/s)`,
  ];
  for (const [i, ratio] of verdict.ratios.entries()) {
    const ours = pair.oursRuns[i]!;
    const reference = pair.referenceRuns[i]!;
    lines.push(
      `  ${String(i + 1).padStart(3)}  ${rps(ours.requestsPerSecond)}  ${rps(reference.requestsPerSecond)}   ${ratio.toFixed(3).padStart(8)}   ${cpu(ours.cpuBusy)}`,
    );
    for (const note of [...ours.notes, ...reference.notes]) lines.push(`       ! ${note}`);
  }
  lines.push(
    `  median ratio ${verdict.medianRatio.toFixed(3)} ${verdict.pass ? 'PASS' : 'FAIL'} (threshold ${threshold})`,
  );
  return lines.join('\n');
}
