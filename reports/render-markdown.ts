/**
 * report.md: the environment, the warnings and the headline tables in GitHub-flavoured Markdown,
 * small enough for $GITHUB_STEP_SUMMARY (under 1 MiB), with the PNG charts referenced by
 * relative path (charts/<id>.png, written by render-png.ts).
 */
import type { Results } from '../bench/results/results-types.js';
import { attributionColumns, attributionHowToRead, attributionRows, hasAttribution } from './attribution.js';
import { browserMarkdown } from './browser-section.js';
import { byteParts, byteRows, byteTableHowToRead, hasByteRows } from './byte-table.js';
import { type ChartSpec, chartPngPath, chartSpecs } from './chart-specs.js';
import { decisionMarkdown } from './decision/decision-section.js';
import {
  connectionPolicyNote,
  connectionPolicyRows,
  environmentBlock,
  scenarioSetupRows,
} from './environment-summary.js';
import { escapeMarkdown } from './format.js';
import { type HeadlineTable, headlineHowToRead, headlineTable, verdictWord } from './headline-table.js';
import { buildReportModel, describeLoad, type ReportModel, type ReportWarning } from './report-model.js';
import { scalingColumns, scalingHowToRead, scalingSeries } from './scaling-table.js';
import { workersMarkdown } from './workers-section.js';

/** GitHub's limit for one step summary. */
export const markdownLimitBytes = 1024 * 1024;

const m = escapeMarkdown;

function table(
  header: readonly string[],
  align: readonly ('left' | 'right')[],
  rows: readonly (readonly string[])[],
) {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(header),
    line(align.map((a) => (a === 'right' ? '---:' : '---'))),
    ...rows.map((row) => line(row)),
  ].join('\n');
}

function environmentSection(results: Results): string {
  const setup = scenarioSetupRows(results);
  return [
    '## Environment',
    '',
    '```text',
    environmentBlock(results).replace(/```/g, "'''"),
    '```',
    '',
    table(
      ['scenario', 'RPC', 'payload', 'family', 'engine', 'load model', 'drivers', 'repetitions', 'timing'],
      ['left', 'left', 'left', 'left', 'left', 'left', 'left', 'right', 'left'],
      setup.map((r) => [
        m(r.scenario),
        m(r.rpc),
        m(r.payload),
        m(r.family),
        m(r.engine),
        m(r.load),
        m(r.drivers),
        m(r.repetitions),
        m(r.timing),
      ]),
    ),
  ].join('\n');
}

function connectionSection(results: Results): string {
  return [
    '## Connection policy',
    '',
    m(connectionPolicyNote),
    '',
    table(
      ['scenario', 'variant', 'connections', 'in flight per connection', 'in flight in all'],
      ['left', 'left', 'right', 'right', 'right'],
      connectionPolicyRows(results).map((r) => [
        m(r.scenario),
        m(r.variant),
        String(r.connections),
        String(r.inFlightPerConnection),
        String(r.inFlight),
      ]),
    ),
  ].join('\n');
}

function warningLine(w: ReportWarning): string {
  return `- **${w.severity.toUpperCase()}** \`${w.where.replace(/`/g, "'")}\`: ${m(w.message)}`;
}

function warningsSection(model: ReportModel): string {
  if (model.warnings.length === 0 && model.recordedWarnings.length === 0) {
    return '## Warnings\n\nNone: the run completed, no request failed, and no driver was saturated.';
  }
  const parts = [
    '## Warnings',
    '',
    'Read these before the numbers: each one limits what the figures below can tell.',
  ];
  if (model.warnings.length > 0)
    parts.push('', '**Found in the results**', '', ...model.warnings.map(warningLine));
  if (model.recordedWarnings.length > 0) {
    parts.push('', '**Recorded by the run**', '', ...model.recordedWarnings.map(warningLine));
  }
  return parts.join('\n');
}

function headlineMarkdown(headline: HeadlineTable, repetitions: string): string {
  const header = [
    'variant',
    ...headline.columns.map((c) => `${m(c.label)} (${m(c.unit)})`),
    'errors',
    `verdict vs ${m(headline.reference)}`,
  ];
  const align = ['left', ...headline.columns.map(() => 'right' as const), 'right', 'left'] as const;
  const rows = headline.rows.map((row) => [
    row.isReference ? `*${m(row.variant)}* (reference)` : `**${m(row.variant)}**`,
    ...row.cells.map((cell) => {
      const word = verdictWord(cell.verdict);
      return [
        m(cell.value),
        cell.interval ? `<sub>${m(cell.interval)}</sub>` : '',
        cell.ratio ? `${m(cell.ratio)}${word ? ` **${word}**` : ''}` : '',
      ]
        .filter((part) => part !== '')
        .join('<br>');
    }),
    m(row.errors),
    m(row.verdict),
  ]);
  return [
    `Medians over ${m(repetitions)} repetitions; ${m(headline.intervalNote)} under each figure; ratios are variant ÷ ${m(headline.reference)}.`,
    '',
    table(header, align, rows),
    '',
    `*How to read this:* ${m(headlineHowToRead)}`,
  ].join('\n');
}

function attributionMarkdown(view: ReportModel['scenarios'][number]): string {
  const header = ['effect', 'first ÷ second', 'what differs', ...attributionColumns.map(m)];
  const align = ['left', 'left', 'left', ...attributionColumns.map(() => 'right' as const)] as const;
  const rows = attributionRows(view).map((row) => [
    m(row.effect),
    `${m(row.a)} ÷ ${m(row.b)}`,
    m(row.note ? `${row.differs}; ${row.note}` : row.differs),
    ...(row.cells ? row.cells.map((cell) => m(cell.text)) : attributionColumns.map(() => '–')),
  ]);
  return [
    '### Where the difference comes from',
    '',
    table(header, align, rows),
    '',
    `*How to read this:* ${m(attributionHowToRead)}`,
  ].join('\n');
}

function bytesMarkdown(view: ReportModel['scenarios'][number]): string {
  const columns = [...byteParts, 'total'];
  const header = ['variant', ...columns.map((c) => `sent ${c}`), ...columns.map((c) => `received ${c}`)];
  const align = ['left', ...header.slice(1).map(() => 'right' as const)] as const;
  const dash = columns.map(() => '–');
  const rows = byteRows(view).map((row) => [
    m(row.variant),
    ...(row.request ?? dash),
    ...(row.response ?? dash),
  ]);
  return [
    '### Bytes per call, by part',
    '',
    table(header, align, rows),
    '',
    `*How to read this:* ${m(byteTableHowToRead)}`,
  ].join('\n');
}

function scalingSection(results: Results): string | undefined {
  const series = scalingSeries(results);
  if (series.length === 0) return undefined;
  const align = ['left', ...scalingColumns.map(() => 'right' as const)] as const;
  return [
    '## Scaling with server workers',
    '',
    ...series.flatMap((s) => [
      `### ${m(s.name)}`,
      '',
      ...s.notes.map((note) => `> [!NOTE]\n> ${m(note)}\n`),
      table(
        ['variant', ...scalingColumns.map(m)],
        align,
        s.rows.map((row) => [m(row.variant), ...row.cells.map(m)]),
      ),
      '',
    ]),
    `*How to read this:* ${m(scalingHowToRead)}`,
  ].join('\n');
}

function chartMarkdown(spec: ChartSpec): string {
  return `![${m(spec.alt)}](${chartPngPath(spec)})\n\n*How to read this:* ${m(spec.howToRead)}`;
}

function scenarioSection(
  view: ReportModel['scenarios'][number],
  specs: readonly ChartSpec[],
  charts: boolean,
) {
  const first = view.rows[0]?.result;
  const reps = [...new Set(view.rows.map((r) => r.result.repetitions.length))].join(' / ');
  const parts = [`## Scenario ${m(view.name)}`, ''];
  if (first) {
    parts.push(
      m(
        `${first.rpc} · payload ${first.payload} · ${first.family} · ${describeLoad(first)} · reference variant ${view.reference}`,
      ),
      '',
    );
  }
  parts.push(headlineMarkdown(headlineTable(view), reps));
  if (hasAttribution(view)) parts.push('', attributionMarkdown(view));
  if (hasByteRows(view)) parts.push('', bytesMarkdown(view));
  if (charts) {
    for (const spec of specs.filter((s) => s.scenario === view.name)) parts.push('', chartMarkdown(spec));
  }
  return parts.join('\n');
}

function compose(results: Results, charts: boolean): string {
  const model = buildReportModel(results);
  const specs = chartSpecs(model);
  const total = model.warnings.length + model.recordedWarnings.length;
  const serious = model.warnings.some((w) => w.severity === 'error');
  const parts = [`# grpc-rest-bench: ${m(results.suite.name)}`, ''];
  if (total > 0) {
    parts.push(
      `> [!${serious ? 'CAUTION' : 'WARNING'}]`,
      `> ${total} warning${total === 1 ? '' : 's'}: read [Warnings](#warnings) before the numbers.`,
      '',
    );
  }
  if (results.suite.description) parts.push(m(results.suite.description), '');
  parts.push(
    decisionMarkdown(results, specs, charts, chartMarkdown, table),
    '',
    environmentSection(results),
    '',
    connectionSection(results),
    '',
    ...(results.workers ? [workersMarkdown(results)] : []),
    warningsSection(model),
    '',
    ...[scalingSection(results), browserMarkdown(results)].flatMap((section) =>
      section ? [section, ''] : [],
    ),
    ...model.scenarios.flatMap((view) => [scenarioSection(view, specs, charts), '']),
    `<sub>Written by ${m(results.environment.tool.name)} ${m(results.environment.tool.version)} from results.json (schema version ${results.schemaVersion}); the full report with interactive charts is report.html.</sub>`,
  );
  return `${parts.join('\n')}\n`;
}

export function renderMarkdown(results: Results): string {
  const full = compose(results, true);
  if (Buffer.byteLength(full) <= markdownLimitBytes) return full;
  const lean = compose(results, false);
  if (Buffer.byteLength(lean) <= markdownLimitBytes) return lean;
  // Still too long: keep whole lines up to the limit, and say so.
  const note = '\n\n**Truncated to fit 1 MiB: see report.html for everything.**\n';
  const budget = markdownLimitBytes - Buffer.byteLength(note);
  const lines: string[] = [];
  let size = 0;
  for (const line of lean.split('\n')) {
    size += Buffer.byteLength(line) + 1;
    if (size > budget) break;
    lines.push(line);
  }
  return `${lines.join('\n')}${note}`;
}
