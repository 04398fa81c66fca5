import {
  countVerdicts,
  equivalenceMarginPercent,
  mostPairsProjected,
  type VerdictKind,
} from '../stats/verdict.js';
import { textTable } from '../text-table.js';
import type { Estimate, Results } from './results-types.js';

const ms = (us: number) => (us / 1000).toFixed(us < 10_000 ? 2 : 1);
/** Whole req/s from 100 up; below, three significant digits (a CPU-bound scenario runs at 1–2 req/s). */
const rps = (value: number) => (value >= 100 ? value.toFixed(0) : String(Number(value.toPrecision(3))));
const interval = (estimate: Estimate, format: (n: number) => string) =>
  estimate.method.startsWith('no interval')
    ? `${estimate.method.replace('no interval: ', 'none (')})`
    : `[${format(estimate.low)}–${format(estimate.high)}]`;

/** The summary a terminal shows after a run: one line per scenario and variant, then the verdicts. */
export function formatSummary(results: Results): string {
  const rows = [
    [
      'scenario',
      'variant',
      'driver',
      'req/s',
      '95% CI',
      'p50 ms',
      'p99 ms',
      'p99.9 ms',
      'ok',
      'failed',
      'timed out',
      'not sent',
    ],
  ];
  for (const s of results.scenarios) {
    rows.push([
      s.scenario,
      s.variant,
      s.driver,
      rps(s.estimates.rps.median),
      interval(s.estimates.rps, rps),
      ms(s.latencyUs.p50),
      ms(s.latencyUs.p99),
      ms(s.latencyUs.p999),
      String(s.counts.ok),
      String(s.counts.failed),
      String(s.counts.timedOut),
      String(s.counts.notSent),
    ]);
  }
  const lines = [
    `${results.suite.name}: ${results.endReason} · ${results.environment.cpuModel} × ${results.environment.cores} · node ${results.environment.node} · engine ${[...new Set(results.scenarios.map((s) => s.engine))].join(', ') || '-'}`,
    '',
    textTable(rows),
  ];
  if (results.comparisons.length > 0) {
    const counts = countVerdicts(results.comparisons.map((c): VerdictKind => c.kind ?? 'undecided'));
    lines.push(
      '',
      textTable([
        ['scenario', 'figure', 'ratio', 'verdict'],
        ...results.comparisons.map((c) => [
          c.scenario,
          `${c.figure} ${c.a} ÷ ${c.b}`,
          c.ratio.toFixed(2),
          c.verdict,
        ]),
      ]),
      '',
      `${results.comparisons.length} comparisons (paired repetitions, 95% intervals): ${counts.faster} faster, ${counts.equivalent} equivalent (no difference beyond ±${equivalenceMarginPercent}%), ${counts.undecided} undecided${undecidedBreakdown(results.comparisons)}`,
    );
  }
  const warnings = [
    ...results.warnings,
    ...results.scenarios.flatMap((s) => s.warnings.map((w) => `${s.scenario}/${s.variant}: ${w}`)),
  ];
  if (warnings.length > 0) lines.push('', 'warnings:', ...warnings.map((w) => `  ! ${w}`));
  return `${lines.join('\n')}\n`;
}

/** " (19 between two server processes, which no number of pairs would narrow to ±10%; 15 that 5–370 pairs would)". */
function undecidedBreakdown(comparisons: Results['comparisons']): string {
  const projected = comparisons.flatMap((c) =>
    c.kind === 'undecided' && c.pairsToNarrow !== undefined ? [c.pairsToNarrow] : [],
  );
  if (projected.length === 0) return '';
  const never = projected.filter((p) => p === 'never').length;
  const counts = projected.filter((p): p is number => typeof p === 'number').sort((a, b) => a - b);
  const more = projected.filter((p) => p === 'more').length;
  const parts = [
    ...(never > 0
      ? [
          `${never} between two server processes, which no number of pairs would narrow to ±${equivalenceMarginPercent}%`,
        ]
      : []),
    ...(counts.length > 0
      ? [
          `${counts.length} that ${counts[0] === counts.at(-1) ? counts[0] : `${counts[0]}–${counts.at(-1)}`} pairs would`,
        ]
      : []),
    ...(more > 0 ? [`${more} that more than ${mostPairsProjected.toLocaleString('en-US')} pairs would`] : []),
  ];
  return ` (${parts.join('; ')})`;
}
