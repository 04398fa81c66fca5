/**
 * The headline table of one scenario as text cells, so that the HTML and Markdown reports show
 * exactly the same numbers: each variant's median with its 95% interval, the ratio to the
 * reference variant, and a verdict over pairs of repetitions (bench/stats/verdict.ts).
 */
import {
  formatCount,
  formatNumber,
  formatPercent,
  formatRatio,
  inUnit,
  type LatencyUnit,
  latencyUnitFor,
} from './format.js';
import {
  type FigureCell,
  type FigureDefinition,
  figureDefinitions,
  type ScenarioView,
  type VariantRow,
} from './report-model.js';

export interface HeadlineColumn {
  readonly label: string;
  /** Unit shown in the header, e.g. "ms". */
  readonly unit: string;
}

export interface HeadlineCell {
  readonly value: string;
  /** "3,990–4,400", or undefined without an interval. */
  readonly interval: string | undefined;
  /** "×1.35", or undefined on the reference row. */
  readonly ratio: string | undefined;
  readonly verdict: FigureCell['verdict'];
}

export interface HeadlineRow {
  readonly variant: string;
  readonly isReference: boolean;
  readonly cells: readonly HeadlineCell[];
  readonly errors: string;
  readonly verdict: string;
}

export interface HeadlineTable {
  readonly scenario: string;
  readonly reference: string;
  readonly columns: readonly HeadlineColumn[];
  readonly rows: readonly HeadlineRow[];
  /** How the intervals were computed, in words. */
  readonly intervalNote: string;
}

interface Column {
  readonly label: string;
  readonly unit: string;
  readonly cell: (row: VariantRow) => FigureCell | undefined;
  readonly scale: (value: number) => number;
}

function figureColumn(definition: FigureDefinition, rows: readonly VariantRow[]): Column {
  const cell = (row: VariantRow) => row.figures[definition.key];
  if (definition.kind === 'latency') {
    const unit: LatencyUnit = latencyUnitFor(rows.map((r) => cell(r).median));
    return { label: definition.label, unit, cell, scale: (v) => inUnit(v, unit) };
  }
  const unit = definition.kind === 'rate' ? 'req/s' : definition.kind === 'bytes' ? 'B/call' : 'µs/req';
  return { label: definition.label, unit, cell, scale: (v) => v };
}

function columnsOf(view: ScenarioView): Column[] {
  const columns = figureDefinitions.map((d) => figureColumn(d, view.rows));
  if (view.rows.some((r) => r.p99Uncorrected)) {
    const unit = latencyUnitFor(view.rows.map((r) => r.p99Uncorrected?.median ?? Number.NaN));
    const at = columns.findIndex((c) => c.label === 'p99.9');
    columns.splice(at + 1, 0, {
      label: 'p99 uncorrected',
      unit,
      cell: (row) => row.p99Uncorrected,
      scale: (v) => inUnit(v, unit),
    });
  }
  return columns;
}

function describeMethod(methods: ReadonlySet<string>): string {
  const names = [...methods].filter((m) => m !== 'none');
  if (names.length === 0) return 'no confidence intervals (too few repetitions)';
  return names
    .map((m) =>
      m === 'student-t-mean'
        ? 'Student-t 95% interval of the mean'
        : m === 'bootstrap-percentile-median'
          ? 'bootstrap 95% interval of the median'
          : `${m} 95% interval`,
    )
    .join('; ');
}

export function headlineTable(view: ScenarioView): HeadlineTable {
  const columns = columnsOf(view);
  const methods = new Set<string>();
  const rows = view.rows.map((row): HeadlineRow => {
    const cells = columns.map((column): HeadlineCell => {
      const cell = column.cell(row);
      if (!cell) return { value: '–', interval: undefined, ratio: undefined, verdict: undefined };
      methods.add(cell.method);
      return {
        value: formatNumber(column.scale(cell.median)),
        interval: cell.interval
          ? `${formatNumber(column.scale(cell.interval.low))}–${formatNumber(column.scale(cell.interval.high))}`
          : undefined,
        ratio: cell.ratio === undefined ? undefined : formatRatio(cell.ratio),
        verdict: cell.verdict,
      };
    });
    return {
      variant: row.variant,
      isReference: row.isReference,
      cells,
      errors:
        row.errors.count === 0 ? '0' : `${formatCount(row.errors.count)} (${formatPercent(row.errors.rate)})`,
      verdict: row.verdict,
    };
  });
  return {
    scenario: view.name,
    reference: view.reference,
    columns: columns.map((c) => ({ label: c.label, unit: c.unit })),
    rows,
    intervalNote: describeMethod(methods),
  };
}

/** The short word a ratio cell carries besides its colour. */
export function verdictWord(verdict: FigureCell['verdict']): string {
  return verdict === 'better' || verdict === 'worse' || verdict === 'equivalent' ? verdict : '';
}

export const headlineHowToRead =
  'Each figure is the median over repetitions with the 95% confidence interval of its geometric mean below it. The ratio is this variant ÷ the reference variant; "better" or "worse" appears only when the 95% interval of the ratio over pairs of repetitions (repetition i of both ran in the same round) excludes 1, "equivalent" when that interval lies within ±10%; no word means this run cannot tell. Latency is from the histograms of answered requests; bytes per call are the bytes written and read on the driver\'s connections divided by the requests sent (headers, framing and connection set-up included); server CPU is the server process\'s CPU time per answered request.';
