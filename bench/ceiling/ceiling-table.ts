/** The verdict of one pair (our driver against a reference tool) and its table. */
import type { RunMeasurement } from './ceiling-types.js';

export interface PairResult {
  readonly title: string;
  readonly ours: string;
  readonly reference: string;
  /** The measured window of each run, in seconds. */
  readonly windowS: number;
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
const percent = (share: number | undefined, width: number) =>
  (share === undefined ? '' : `${(share * 100).toFixed(0)}%`).padStart(width);

/** What a request cost the server, and the server's share of a core, over one run's window. */
function serverCost(run: RunMeasurement, windowS: number): string {
  if (run.serverCpuUs === undefined) return `${''.padStart(6)} ${''.padStart(5)}`;
  const perRequest = run.serverCpuUs / (run.requestsPerSecond * windowS);
  return `${perRequest.toFixed(1).padStart(6)} ${percent(run.serverCpuUs / (windowS * 1e6), 5)}`;
}

export function formatPair(pair: PairResult, threshold: number): string {
  const verdict = verdictOf(pair, threshold);
  const measuredServer = pair.oursRuns.some((run) => run.serverCpuUs !== undefined);
  const serverHeading = measuredServer ? '   server µs/req and busy: ours, ref' : '';
  const lines = [
    `${pair.title}`,
    `  rep  ${pair.ours.padStart(9)}  ${pair.reference.padStart(9)}   ours÷ref   ours' CPU${serverHeading}`,
  ];
  for (const [i, ratio] of verdict.ratios.entries()) {
    const ours = pair.oursRuns[i]!;
    const reference = pair.referenceRuns[i]!;
    const server = measuredServer
      ? `   ${serverCost(ours, pair.windowS)}   ${serverCost(reference, pair.windowS)}`
      : '';
    lines.push(
      `  ${String(i + 1).padStart(3)}  ${rps(ours.requestsPerSecond)}  ${rps(reference.requestsPerSecond)}   ${ratio.toFixed(3).padStart(8)}   ${percent(ours.cpuBusy, 9)}${server}`,
    );
    for (const note of [...ours.notes, ...reference.notes]) lines.push(`       ! ${note}`);
  }
  lines.push(
    `  median ratio ${verdict.medianRatio.toFixed(3)} ${verdict.pass ? 'PASS' : 'FAIL'} (threshold ${threshold}); req/s over ${pair.windowS} s windows`,
  );
  return lines.join('\n');
}
