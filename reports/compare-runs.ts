/**
 * BASELINE vs CURRENT, a CI gate that does not cry wolf: per (scenario, variant) and figure
 * (throughput, p50, p99), current ÷ baseline on the log scale with a 95% interval from both runs'
 * repetitions plus the run-to-run spread that repetitions inside one run cannot show
 * (bench/stats/run-ratio.ts; bench/stats/run-spread.ts, measured by bench/verdicts/gate-check.ts), and the three verdict
 * kinds of bench/stats/verdict.ts. Each such row has a relative twin: the variant's change less the
 * mean change of its scenario's other variants, where whatever moved the whole machine between
 * the runs cancels (docs/verdicts.md). A regression (exit 4) is called only when it survives Holm's
 * correction over the whole table (bench/stats/family-gate.ts): the chance that an unchanged build
 * fails is at most 5% for the table, not for each row; and the change must reach `--threshold`.
 * Renders compare.md and compare.html.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Results, ScenarioResult } from '../bench/results/results-types.js';
import { describeSteadiness, unsteadyMachineSpread } from '../bench/run/machine-steadiness.js';
import { holmRejections } from '../bench/stats/family-gate.js';
import {
  geometricMeanOf,
  type LogInterval,
  logScaleInterval,
  pValueOf,
} from '../bench/stats/log-interval.js';
import { quantile } from '../bench/stats/quantile.js';
import { changeInterval, type LogChange, logChange, relativeChange } from '../bench/stats/run-ratio.js';
import { defaultRunSpread, type FigureSpread, type RunSpread } from '../bench/stats/run-spread.js';
import { type VerdictKind, verdictOf } from '../bench/stats/verdict.js';
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
  | 'equivalent'
  | 'undecided'
  | 'below threshold'
  | 'not comparable';

/** One run's side of a row: median over repetitions and the geometric mean's interval. */
export interface RunFigure {
  readonly n: number;
  readonly median: number;
  readonly interval: LogInterval | undefined;
}

export interface FigureComparison {
  readonly scenario: string;
  readonly variant: string;
  readonly figure: CompareFigure;
  /**
   * The change against the scenario's other variants (relativeChange): baseline and current are
   * then the variant's figure ÷ the geometric mean of the others', without an interval.
   */
  readonly relative: boolean;
  readonly better: 'higher' | 'lower';
  readonly baseline: RunFigure | undefined;
  readonly current: RunFigure | undefined;
  /** current ÷ baseline − 1, from the geometric means (the medians when there is no interval). */
  readonly change: number;
  /** 95% interval of current ÷ baseline, run-to-run spread included. */
  readonly interval: LogInterval | undefined;
  /** Two-sided p-value of "no change"; NaN when not comparable. */
  readonly pValue: number;
  /** The verdict kind after the family-wise correction. */
  readonly kind: VerdictKind | undefined;
  readonly status: CompareStatus;
  readonly reason: string;
}

export interface RunComparison {
  readonly thresholdPercent: number;
  readonly runSpread: RunSpread;
  /** The family-wise error rate the gate keeps over the whole table. */
  readonly alpha: number;
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
  /** Run-to-run spread per figure (default: bench/stats/run-spread.ts). */
  readonly runSpread?: RunSpread;
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

/** A row's name in a per-row run spread (RunSpread.rows). */
export const rowKey = (scenario: string, variant: string, relative: boolean) =>
  `${scenario}/${variant}${relative ? ' vs others' : ''}`;

function runFigure(values: readonly number[]): RunFigure | undefined {
  return values.length === 0
    ? undefined
    : { n: values.length, median: quantile(values, 0.5), interval: logScaleInterval(values) };
}

/** One variant of a scenario in both runs. */
interface RowSides {
  readonly base: ScenarioResult;
  readonly current: ScenarioResult;
}

/** A row of the table before anything is judged; with `others`, the relative twin. */
interface PlannedRow {
  readonly sides: RowSides;
  readonly definition: (typeof figures)[number];
  /** The scenario's other variants in both runs. */
  readonly others?: readonly RowSides[];
}

/** Every row, absolute ones first, then their relative twins (scenarios of two variants or more). */
function plannedRows(baseline: Results, current: Results): PlannedRow[] {
  const both: RowSides[] = baseline.scenarios.flatMap((base) => {
    const cur = current.scenarios.find((s) => key(s) === key(base));
    return cur ? [{ base, current: cur }] : [];
  });
  // Under an open loop the arrival rate sets the throughput: a row that cannot move is no test.
  const measured = (sides: RowSides) =>
    sides.base.loadModel.model === 'open' ? figures.filter((f) => f.figure !== 'throughput') : figures;
  const absolute = both.flatMap((sides) => measured(sides).map((definition) => ({ sides, definition })));
  const relative = both.flatMap((sides) => {
    const others = both.filter(
      (other) => other.base.scenario === sides.base.scenario && other.base.variant !== sides.base.variant,
    );
    return others.length === 0 ? [] : measured(sides).map((definition) => ({ sides, definition, others }));
  });
  return [...absolute, ...relative];
}

/** A planned row's change (undefined without two positive repetitions a side), and for a relative row the others it was taken against. */
function changeOf({ sides, definition, others }: PlannedRow): {
  readonly change: LogChange | undefined;
  readonly against: readonly RowSides[];
} {
  const own = logChange(definition.values(sides.base), definition.values(sides.current));
  if (!others) return { change: own, against: [] };
  const comparable = others.flatMap((other) => {
    const change = logChange(definition.values(other.base), definition.values(other.current));
    return change ? [{ other, change }] : [];
  });
  return {
    change:
      own && comparable.length > 0
        ? relativeChange(
            own,
            comparable.map((c) => c.change),
          )
        : undefined,
    against: comparable.map((c) => c.other),
  };
}

/** Each row's key (rowKey), kind, figure and change: what gate-check estimates run spreads from. */
export function rowChanges(
  baseline: Results,
  current: Results,
): {
  readonly key: string;
  readonly relative: boolean;
  readonly figure: CompareFigure;
  readonly change: LogChange | undefined;
}[] {
  return plannedRows(baseline, current).map((row) => ({
    key: rowKey(row.sides.base.scenario, row.sides.base.variant, row.others !== undefined),
    relative: row.others !== undefined,
    figure: row.definition.figure,
    change: changeOf(row).change,
  }));
}

/** A row before the family-wise decision: its interval and p-value, or why it has none. */
function measureRow(row: PlannedRow, runSpread: RunSpread): FigureComparison {
  const { sides, definition } = row;
  const { base, current } = sides;
  const relative = row.others !== undefined;
  const { change, against } = changeOf(row);
  const baseValues = definition.values(base);
  const currentValues = definition.values(current);
  const a = runFigure(baseValues);
  const b = runFigure(currentValues);
  // A relative row's sides: the variant's figure ÷ the geometric mean of the others' geometric means.
  const shareOf = (values: readonly number[], pick: (o: RowSides) => ScenarioResult): RunFigure => ({
    n: values.length,
    median:
      geometricMeanOf(values) /
      geometricMeanOf(against.map((o) => geometricMeanOf(definition.values(pick(o))))),
    interval: undefined,
  });
  const common = {
    scenario: base.scenario,
    variant: base.variant,
    figure: definition.figure,
    relative,
    better: definition.better,
    baseline: relative ? (change ? shareOf(baseValues, (o) => o.base) : undefined) : a,
    current: relative ? (change ? shareOf(currentValues, (o) => o.current) : undefined) : b,
  };
  if (!change) {
    const why =
      !a || !b
        ? 'no repetitions on one side'
        : a.n < 2 || b.n < 2
          ? 'fewer than 2 repetitions on one side: the noise is unknown'
          : logChange(baseValues, currentValues)
            ? 'no other variant of the scenario has two positive repetitions in both runs'
            : 'a figure of 0 on one side';
    return {
      ...common,
      change: a && b && !relative ? b.median / a.median - 1 : Number.NaN,
      interval: undefined,
      pValue: Number.NaN,
      kind: undefined,
      status: 'not comparable',
      reason: why,
    };
  }
  const rowSpread = runSpread.rows?.[rowKey(base.scenario, base.variant, relative)];
  const pooled = relative ? (runSpread.relative ?? runSpread) : runSpread;
  const interval = changeInterval(change, {
    runSpread: (rowSpread ?? pooled)[definition.figure],
    ...(rowSpread && runSpread.pairs ? { spreadPairs: runSpread.pairs } : {}),
  });
  return {
    ...common,
    change: interval.centre - 1,
    interval,
    pValue: pValueOf(interval),
    kind: undefined,
    status: 'undecided',
    reason: '',
  };
}

/** The verdict of a measured row, given whether the family-wise gate rejected "no change" for it. */
function decideRow(
  row: FigureComparison,
  rejected: boolean,
  rows: number,
  thresholdPercent: number,
): FigureComparison {
  const interval = row.interval;
  if (!interval) return row;
  // a = current, b = baseline: the verdict's "a faster" is an improvement.
  const verdict = verdictOf(interval, { better: row.better, a: 'current', b: 'baseline' });
  const holm = `Holm over ${rows} rows at 5% for the table`;
  if (verdict.kind === 'faster' && rejected) {
    const status = verdict.winner === 'a' ? 'improvement' : 'regression';
    if (Math.abs(row.change) * 100 < thresholdPercent) {
      return {
        ...row,
        kind: 'faster',
        status: 'below threshold',
        reason: `beyond the noise (${holm}), but smaller than the ${formatNumber(thresholdPercent)}% minimum effect`,
      };
    }
    return {
      ...row,
      kind: 'faster',
      status,
      reason: `p = ${row.pValue.toPrecision(2)}, significant after ${holm}`,
    };
  }
  if (verdict.kind === 'equivalent') {
    return { ...row, kind: 'equivalent', status: 'equivalent', reason: verdict.text };
  }
  return {
    ...row,
    kind: 'undecided',
    status: 'undecided',
    reason:
      verdict.kind === 'faster'
        ? `outside this row's 95% interval (p = ${row.pValue.toPrecision(2)}) but not significant after ${holm}`
        : verdict.text,
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
    const steadiness = results.environment.steadiness;
    if (steadiness && steadiness.memoryBound > unsteadyMachineSpread)
      notes.push(`the ${side} run's machine was unsteady: ${describeSteadiness(steadiness)}`);
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

/** The gate's family-wise error rate: the chance an unchanged build fails, for the whole table. */
const alpha = 0.05;

export function compareRuns(
  baseline: Results,
  current: Results,
  options: CompareOptions = {},
): RunComparison {
  const thresholdPercent = options.thresholdPercent ?? 0;
  if (!(thresholdPercent >= 0)) throw new RangeError(`the threshold must be ≥ 0%, got ${thresholdPercent}`);
  const runSpread = options.runSpread ?? defaultRunSpread;
  const measured = plannedRows(baseline, current).map((row) => measureRow(row, runSpread));
  const tested = measured.filter((row) => row.interval !== undefined);
  const rejected = holmRejections(
    tested.map((row) => row.pValue),
    alpha,
  );
  const rows = measured.map((row) => {
    const index = tested.indexOf(row);
    return index < 0 ? row : decideRow(row, rejected[index]!, tested.length, thresholdPercent);
  });
  const currentKeys = new Set(current.scenarios.map(key));
  const baselineKeys = new Set(baseline.scenarios.map(key));
  return {
    thresholdPercent,
    runSpread,
    alpha,
    rows,
    onlyInBaseline: [...baselineKeys].filter((k) => !currentKeys.has(k)),
    onlyInCurrent: [...currentKeys].filter((k) => !baselineKeys.has(k)),
    notes: setupNotes(baseline, current),
    regression: rows.some((r) => r.status === 'regression'),
  };
}

function figureText(row: FigureComparison, side: RunFigure | undefined, unit: LatencyUnit): string {
  if (!side) return '–';
  if (row.relative) return `${side.median.toFixed(2)}× the others`;
  const show = (v: number) => (row.figure === 'throughput' ? formatNumber(v) : formatNumber(inUnit(v, unit)));
  const interval = side.interval
    ? ` (${show(side.interval.low)}–${show(side.interval.high)})`
    : ' (no interval)';
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
    const label = row.relative
      ? `${row.figure}, against the scenario's other variants`
      : row.figure === 'throughput'
        ? 'throughput (req/s)'
        : `${row.figure} (${unit})`;
    return {
      cells: [
        row.scenario,
        row.relative ? `${row.variant} vs others` : row.variant,
        label,
        figureText(row, row.baseline, unit),
        figureText(row, row.current, unit),
        row.interval
          ? `${formatChange(row.change)} (${formatChange(row.interval.low - 1)} to ${formatChange(row.interval.high - 1)})`
          : formatChange(row.change),
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
  'change (95% CI)',
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

const spreadText = (spread: FigureSpread) =>
  `throughput ${formatNumber(spread.throughput * 100)}%, p50 ${formatNumber(spread.p50 * 100)}%, p99 ${formatNumber(spread.p99 * 100)}%`;

const method = (comparison: RunComparison) =>
  `Change is current ÷ baseline − 1 of the geometric means over repetitions, with a 95% interval on the log scale from both runs' repetitions plus the run-to-run spread two runs of one commit show (${spreadText(comparison.runSpread)}${comparison.runSpread.rows ? ", or the row's own" : ''}). A "vs others" row is the variant's change less the mean change of its scenario's other variants: what moved for that variant alone, with what moved the whole machine between the runs cancelled (its spread: ${spreadText(comparison.runSpread.relative ?? comparison.runSpread)}). A regression or improvement is called only when it is significant after Holm's correction over all ${comparison.rows.filter((r) => r.interval).length} rows, so that an unchanged build fails with a chance of at most ${formatNumber(comparison.alpha * 100)}% for the whole table${comparison.thresholdPercent > 0 ? `, and when the change is at least ${formatNumber(comparison.thresholdPercent)}%` : ''}. "Equivalent": no change larger than the stated % (within ±10%). For latency a positive change is slower.`;

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
