/**
 * BASELINE vs CURRENT: per (scenario, variant) and figure (throughput, p50, p99), a regression is
 * called only when
 *   1. it is beyond the run-to-run noise recorded in both results: the 95% intervals of the two
 *      runs' repetitions do not overlap (bench/stats/compare.ts; stricter than a 5% Welch test),
 *   2. and the change of the medians is at least the minimum effect (`--threshold 5%`, default 0).
 * An improvement is called the same way. Renders compare.md and compare.html; the CLI exits 4
 * when `regression` is true.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Results, ScenarioResult } from '../bench/results/results-types.js';
import { compareFigures } from '../bench/stats/compare.js';
import { type RepeatedFigure, summarizeRepetitions } from '../bench/stats/confidence.js';
import {
  escapeHtml,
  escapeMarkdown,
  formatChange,
  formatNumber,
  inUnit,
  type LatencyUnit,
  latencyUnitFor,
} from './format.js';

export type CompareFigure = 'throughput' | 'p50' | 'p99';

export type CompareStatus =
  | 'regression'
  | 'improvement'
  | 'within noise'
  | 'below threshold'
  | 'not comparable';

export interface FigureComparison {
  readonly scenario: string;
  readonly variant: string;
  readonly figure: CompareFigure;
  readonly better: 'higher' | 'lower';
  readonly baseline: RepeatedFigure | undefined;
  readonly current: RepeatedFigure | undefined;
  /** current ÷ baseline − 1, from the medians. */
  readonly change: number;
  readonly status: CompareStatus;
  readonly reason: string;
}

export interface RunComparison {
  readonly thresholdPercent: number;
  readonly rows: readonly FigureComparison[];
  /** "scenario/variant" pairs found on one side only. */
  readonly onlyInBaseline: readonly string[];
  readonly onlyInCurrent: readonly string[];
  /** Differences between the two runs' set-ups that weaken the comparison. */
  readonly notes: readonly string[];
  readonly regression: boolean;
}

export interface CompareOptions {
  /** Minimum effect, in percent, for a change to count (default 0). */
  readonly thresholdPercent?: number;
}

/** "5%", "5" or "0.5%" → 5, 5, 0.5; throws on anything else. */
export function parsePercent(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a percentage such as 5%`);
  return Number(match[1]);
}

const figures: readonly {
  readonly figure: CompareFigure;
  readonly better: 'higher' | 'lower';
  readonly values: (s: ScenarioResult) => number[];
}[] = [
  { figure: 'throughput', better: 'higher', values: (s) => s.repetitions.map((r) => r.rps) },
  { figure: 'p50', better: 'lower', values: (s) => s.repetitions.map((r) => r.latencyUs.p50) },
  { figure: 'p99', better: 'lower', values: (s) => s.repetitions.map((r) => r.latencyUs.p99) },
];

const key = (s: ScenarioResult) => `${s.scenario}/${s.variant}`;

function summarize(values: readonly number[]): RepeatedFigure | undefined {
  return values.length === 0 ? undefined : summarizeRepetitions(values, { method: 'student-t' });
}

function compareFigure(
  base: ScenarioResult,
  current: ScenarioResult,
  definition: (typeof figures)[number],
  thresholdPercent: number,
): FigureComparison {
  const a = summarize(definition.values(base));
  const b = summarize(definition.values(current));
  const common = {
    scenario: base.scenario,
    variant: base.variant,
    figure: definition.figure,
    better: definition.better,
    baseline: a,
    current: b,
  };
  if (!a || !b) {
    return { ...common, change: Number.NaN, status: 'not comparable', reason: 'no repetitions on one side' };
  }
  const change = b.median / a.median - 1;
  if (!a.interval || !b.interval) {
    return {
      ...common,
      change,
      status: 'not comparable',
      reason: 'fewer than 2 repetitions on one side: the noise is unknown',
    };
  }
  const { verdict } = compareFigures(a, b, definition.better);
  if (verdict === 'no significant difference') {
    return { ...common, change, status: 'within noise', reason: 'the 95% intervals of the two runs overlap' };
  }
  if (Math.abs(change) * 100 < thresholdPercent) {
    return {
      ...common,
      change,
      status: 'below threshold',
      reason: `beyond the noise, but smaller than the ${formatNumber(thresholdPercent)}% minimum effect`,
    };
  }
  const worse = verdict === 'A faster';
  return {
    ...common,
    change,
    status: worse ? 'regression' : 'improvement',
    reason: `the 95% intervals separate${thresholdPercent > 0 ? ` and the change is at least ${formatNumber(thresholdPercent)}%` : ''}`,
  };
}

function setupNotes(baseline: Results, current: Results): string[] {
  const notes: string[] = [];
  const a = baseline.environment;
  const b = current.environment;
  const differ = (what: string, x: string | number, y: string | number) => {
    if (x !== y) notes.push(`${what} differs: ${x} (baseline) vs ${y} (current)`);
  };
  differ('CPU', a.cpuModel, b.cpuModel);
  differ('core count', a.cores, b.cores);
  differ('Node', a.node, b.node);
  differ('OS', a.os, b.os);
  const names = [...new Set([...Object.keys(a.packages), ...Object.keys(b.packages)])].sort();
  for (const name of names) differ(`${name}`, a.packages[name] ?? 'absent', b.packages[name] ?? 'absent');
  for (const [side, results] of [
    ['baseline', baseline],
    ['current', current],
  ] as const) {
    if (results.endReason !== 'completed')
      notes.push(`the ${side} run did not complete (${results.endReason})`);
  }
  for (const s of current.scenarios) {
    const base = baseline.scenarios.find((b2) => key(b2) === key(s));
    if (!base) continue;
    const pa = base.connectionPolicy;
    const pb = s.connectionPolicy;
    if (pa.connections !== pb.connections || pa.inFlightPerConnection !== pb.inFlightPerConnection) {
      notes.push(
        `${key(s)}: connection policy differs (${pa.connections}×${pa.inFlightPerConnection} vs ${pb.connections}×${pb.inFlightPerConnection})`,
      );
    }
    if (JSON.stringify(base.loadModel) !== JSON.stringify(s.loadModel))
      notes.push(`${key(s)}: load model differs`);
  }
  return notes;
}

export function compareRuns(
  baseline: Results,
  current: Results,
  options: CompareOptions = {},
): RunComparison {
  const thresholdPercent = options.thresholdPercent ?? 0;
  if (!(thresholdPercent >= 0)) throw new RangeError(`the threshold must be ≥ 0%, got ${thresholdPercent}`);
  const rows: FigureComparison[] = [];
  for (const base of baseline.scenarios) {
    const cur = current.scenarios.find((s) => key(s) === key(base));
    if (!cur) continue;
    for (const definition of figures) rows.push(compareFigure(base, cur, definition, thresholdPercent));
  }
  const currentKeys = new Set(current.scenarios.map(key));
  const baselineKeys = new Set(baseline.scenarios.map(key));
  return {
    thresholdPercent,
    rows,
    onlyInBaseline: [...baselineKeys].filter((k) => !currentKeys.has(k)),
    onlyInCurrent: [...currentKeys].filter((k) => !baselineKeys.has(k)),
    notes: setupNotes(baseline, current),
    regression: rows.some((r) => r.status === 'regression'),
  };
}

function figureText(row: FigureComparison, side: RepeatedFigure | undefined, unit: LatencyUnit): string {
  if (!side) return '–';
  const show = (v: number) => (row.figure === 'throughput' ? formatNumber(v) : formatNumber(inUnit(v, unit)));
  const interval = side.interval
    ? ` (${show(Math.max(0, side.interval.low))}–${show(side.interval.high)})`
    : '';
  return `${show(side.median)}${interval}`;
}

function unitOf(row: FigureComparison): LatencyUnit {
  return latencyUnitFor([row.baseline?.median ?? Number.NaN, row.current?.median ?? Number.NaN]);
}

interface TableRow {
  readonly cells: readonly string[];
  readonly status: CompareStatus;
}

function tableRows(comparison: RunComparison): TableRow[] {
  return comparison.rows.map((row) => {
    const unit = unitOf(row);
    const label = row.figure === 'throughput' ? 'throughput (req/s)' : `${row.figure} (${unit})`;
    return {
      cells: [
        row.scenario,
        row.variant,
        label,
        figureText(row, row.baseline, unit),
        figureText(row, row.current, unit),
        formatChange(row.change),
        row.status,
        row.reason,
      ],
      status: row.status,
    };
  });
}

const header = [
  'scenario',
  'variant',
  'figure',
  'baseline (95% CI)',
  'current (95% CI)',
  'change',
  'verdict',
  'why',
];

function headline(comparison: RunComparison): string {
  const regressions = comparison.rows.filter((r) => r.status === 'regression').length;
  const improvements = comparison.rows.filter((r) => r.status === 'improvement').length;
  if (regressions > 0) {
    return `${regressions} regression${regressions === 1 ? '' : 's'} found${improvements > 0 ? `, ${improvements} improvement${improvements === 1 ? '' : 's'}` : ''}.`;
  }
  return `No regression beyond the noise of both runs${improvements > 0 ? `; ${improvements} improvement${improvements === 1 ? '' : 's'}` : ''}.`;
}

const method = (comparison: RunComparison) =>
  `A change is called only when the Student-t 95% intervals of the two runs' repetitions do not overlap (so it is beyond the run-to-run noise recorded in both)${comparison.thresholdPercent > 0 ? ` and the medians differ by at least ${formatNumber(comparison.thresholdPercent)}%` : ''}. Change is current ÷ baseline − 1 of the medians; for latency a positive change is slower.`;

function runLine(results: Results): string {
  return `${results.environment.gitCommit}${results.environment.gitDirty ? ' (dirty)' : ''} · ${results.startedAt} · suite ${results.suite.name} · ${results.endReason}`;
}

export function renderCompareMarkdown(
  comparison: RunComparison,
  baseline: Results,
  current: Results,
): string {
  const m = escapeMarkdown;
  const lines = [
    '# grpc-rest-bench: baseline vs current',
    '',
    comparison.regression
      ? `> [!CAUTION]\n> ${m(headline(comparison))}`
      : `> [!NOTE]\n> ${m(headline(comparison))}`,
    '',
    `- baseline: ${m(runLine(baseline))}`,
    `- current: ${m(runLine(current))}`,
    '',
    m(method(comparison)),
    '',
  ];
  const notes = [
    ...comparison.notes,
    ...comparison.onlyInBaseline.map((k) => `${k} is only in the baseline`),
    ...comparison.onlyInCurrent.map((k) => `${k} is only in the current run`),
  ];
  if (notes.length > 0) lines.push('**Set-up differences**', '', ...notes.map((n) => `- ${m(n)}`), '');
  const rows = tableRows(comparison);
  lines.push(
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i >= 3 && i <= 5 ? '---:' : '---')).join(' | ')} |`,
    ...rows.map(
      (r) =>
        `| ${r.cells
          .map((c, i) =>
            i === 6 && (r.status === 'regression' || r.status === 'improvement') ? `**${m(c)}**` : m(c),
          )
          .join(' | ')} |`,
    ),
    '',
  );
  return `${lines.join('\n')}\n`;
}

export function renderCompareHtml(comparison: RunComparison, baseline: Results, current: Results): string {
  const e = escapeHtml;
  const notes = [
    ...comparison.notes,
    ...comparison.onlyInBaseline.map((k) => `${k} is only in the baseline`),
    ...comparison.onlyInCurrent.map((k) => `${k} is only in the current run`),
  ];
  const rows = tableRows(comparison)
    .map(
      (r) =>
        `<tr class="${r.status.replace(/ /g, '-')}">${r.cells
          .map((c, i) =>
            i >= 3 && i <= 5
              ? `<td class="num">${e(c)}</td>`
              : i === 0
                ? `<th scope="row">${e(c)}</th>`
                : `<td>${e(c)}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>grpc-rest-bench: baseline vs current</title>
<link rel="icon" href="data:,">
<style>
body { margin: 0 auto; max-width: 1300px; padding: 1.5rem; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1a1a1a; }
h1 { font-size: 1.5rem; }
.banner { padding: .6rem .9rem; border: 2px solid #1b6b2f; background: #e6f4ea; font-weight: 600; }
.banner.regression { border-color: #a4161a; background: #fde2e1; }
table { border-collapse: collapse; font-size: .9rem; margin-top: 1rem; }
th, td { border: 1px solid #d0d0d0; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.regression td:nth-child(7) { color: #a4161a; font-weight: 700; }
tr.improvement td:nth-child(7) { color: #1b6b2f; font-weight: 700; }
.note { color: #555; max-width: 70rem; }
@media print { .banner { background: none; } }
</style>
</head>
<body>
<h1>grpc-rest-bench: baseline vs current</h1>
<p class="banner${comparison.regression ? ' regression' : ''}" role="status">${e(headline(comparison))}</p>
<ul>
<li>baseline: ${e(runLine(baseline))}</li>
<li>current: ${e(runLine(current))}</li>
</ul>
<p class="note">${e(method(comparison))}</p>
${notes.length > 0 ? `<h2>Set-up differences</h2>\n<ul>\n${notes.map((n) => `<li>${e(n)}</li>`).join('\n')}\n</ul>` : ''}
<table>
<thead><tr>${header.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}

/** Writes compare.md and compare.html; `regression` decides the CLI's exit code (4). */
export function writeCompare(
  outDir: string,
  baseline: Results,
  current: Results,
  options: CompareOptions = {},
): { readonly files: string[]; readonly regression: boolean; readonly comparison: RunComparison } {
  const comparison = compareRuns(baseline, current, options);
  mkdirSync(outDir, { recursive: true });
  const md = join(outDir, 'compare.md');
  const html = join(outDir, 'compare.html');
  writeFileSync(md, renderCompareMarkdown(comparison, baseline, current));
  writeFileSync(html, renderCompareHtml(comparison, baseline, current));
  return { files: [md, html], regression: comparison.regression, comparison };
}
