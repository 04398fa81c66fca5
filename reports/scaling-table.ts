/**
 * Throughput against server workers (`serve --workers`), for scenarios a suite expanded
 * from a `workers` list: per variant, each count's throughput, the speed-up over one
 * worker and the efficiency, throughput at N ÷ (N × throughput at 1). 1.0 is perfect scaling.
 */
import type { Results, ScenarioResult } from '../bench/results/results-types.js';
import { formatNumber, formatPercent } from './format.js';

export const scalingColumns = [
  'workers',
  'throughput (req/s)',
  'speed-up',
  'efficiency',
  'server CPU / request',
  'driver CPU',
] as const;

export interface ScalingRow {
  readonly variant: string;
  /** One text per scalingColumns entry. */
  readonly cells: readonly string[];
}

export interface ScalingSeries {
  /** The suite's scenario name the counts were expanded from. */
  readonly name: string;
  readonly rows: readonly ScalingRow[];
  /** What limits the figures on this machine, said before anyone reads them as scaling. */
  readonly notes: readonly string[];
}

function workersOf(result: ScenarioResult): number {
  return result.workers ?? 1;
}

/** The highest driver CPU over the series' repetitions, as a share of one core. */
function driverCpuOf(result: ScenarioResult): number {
  return Math.max(0, ...result.repetitions.map((r) => r.resources.driverCpu));
}

export function scalingSeries(results: Results): ScalingSeries[] {
  const names = [...new Set(results.scenarios.flatMap((s) => (s.scalingOf ? [s.scalingOf] : [])))];
  return names.map((name) => {
    const members = results.scenarios.filter((s) => s.scalingOf === name);
    const variants = [...new Set(members.map((s) => s.variant))];
    const rows = variants.flatMap((variant) => {
      const series = members.filter((s) => s.variant === variant).sort((a, b) => workersOf(a) - workersOf(b));
      const one = series.find((s) => workersOf(s) === 1)?.estimates.rps.median;
      return series.map((result): ScalingRow => {
        const workers = workersOf(result);
        const rps = result.estimates.rps.median;
        const speedUp = one && one > 0 ? rps / one : undefined;
        return {
          variant,
          cells: [
            String(workers),
            formatNumber(rps),
            speedUp === undefined ? '–' : `${speedUp.toFixed(2)}×`,
            speedUp === undefined ? '–' : formatPercent(speedUp / workers),
            `${formatNumber(result.estimates.serverCpuUsPerRequest.median / 1000)} ms`,
            formatPercent(driverCpuOf(result)),
          ],
        };
      });
    });
    return { name, rows, notes: scalingNotes(results, members) };
  });
}

function scalingNotes(results: Results, members: readonly ScenarioResult[]): string[] {
  const notes: string[] = [];
  const cores = results.environment.cores;
  const most = Math.max(...members.map(workersOf));
  if (results.suite.pinned) {
    notes.push(
      'The run was pinned (--pin): every server process, workers included, ran on CPU 0, so more workers cannot use more cores. These figures do not measure scaling.',
    );
  } else if (most >= cores) {
    const driver = Math.max(0, ...members.map(driverCpuOf));
    notes.push(
      `The driver shares the cores: ${most} workers on a ${cores}-core machine leave it no core of its own (it used up to ${formatPercent(driver)} of a core). Where its share is large, as for cheap RPCs, it competes with the workers and the efficiency shown is a lower bound, not the servers' scaling.`,
    );
  }
  const threads = results.suite.engineThreads;
  notes.push(
    threads === undefined
      ? `Each server process ran the engines on Node's default libuv pool (4 threads), so one process could already use every core for engine work: more workers add event loops, not engine cores.`
      : `Each server process ran the engines on ${threads} libuv thread${threads === 1 ? '' : 's'} (engineThreads), so N workers have N × ${threads} engine thread${threads === 1 ? '' : 's'}.`,
  );
  if (members.some((s) => s.warnings.some((w) => w.includes('driver saturated')))) {
    notes.push('The driver was saturated in some repetitions: it, not the servers, may have set the pace.');
  }
  return notes;
}

export const scalingHowToRead =
  'The same scenario against 1, 2… server worker processes per protocol (serve --workers, node:cluster dealing connections round-robin; at least one connection per worker). Speed-up is throughput ÷ throughput at 1 worker; efficiency is throughput at N ÷ (N × throughput at 1): 100% is perfect scaling. Server CPU per request is summed over the primary and every worker.';
