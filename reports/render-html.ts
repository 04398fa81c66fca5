/**
 * report.html: one self-contained page. Chart.js and the chart runtime are inlined, the chart data
 * travels as JSON in the page, and nothing is fetched, so it opens from file:// with no network.
 * Deterministic: the same results give the same bytes (no clock, no random ids).
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Results } from '../bench/results/results-types.js';
import { attributionColumns, attributionHowToRead, attributionRows, hasAttribution } from './attribution.js';
import { browserHtml } from './browser-section.js';
import { byteParts, byteRows, byteTableHowToRead, hasByteRows } from './byte-table.js';
import { chartRuntimeSource } from './chart-runtime.js';
import { type ChartSpec, chartHeight, chartSpecs, chartWidth } from './chart-specs.js';
import { decisionHtml } from './decision/decision-section.js';
import {
  connectionPolicyNote,
  connectionPolicyRows,
  environmentLines,
  scenarioSetupRows,
} from './environment-summary.js';
import { escapeHtml, slug } from './format.js';
import { type HeadlineTable, headlineHowToRead, headlineTable, verdictWord } from './headline-table.js';
import {
  buildReportModel,
  describeLoad,
  type ReportModel,
  type ReportWarning,
  type ScenarioView,
} from './report-model.js';
import { scalingColumns, scalingHowToRead, scalingSeries } from './scaling-table.js';

let chartJsSource: string | undefined;

/** Chart.js's UMD build, made safe to inline in a <script> element. */
function inlineChartJs(): string {
  if (chartJsSource === undefined) {
    const entry = createRequire(import.meta.url).resolve('chart.js');
    const text = readFileSync(join(dirname(entry), 'chart.umd.min.js'), 'utf8');
    chartJsSource = scriptSafe(text.replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '\n'));
  }
  return chartJsSource;
}

/**
 * Script text that cannot end its <script> element early. "</script" only occurs inside string
 * literals in practice, where "<\/" means the same; "<!--" cannot be rewritten safely, so it is refused.
 */
function scriptSafe(source: string): string {
  if (source.includes('<!--')) throw new Error('cannot inline a script that contains "<!--"');
  return source.replace(/<\/(script)/gi, '<\\/$1');
}

/** JSON that is safe inside <script type="application/json">. */
function jsonInScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

const e = escapeHtml;

const styles = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --line: #d0d0d0; --better: #1b6b2f; --worse: #a4161a; --warn-bg: #fff4d6; --warn-line: #b36b00; --error-bg: #fde2e1; --error-line: #a4161a; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1500px; padding: 1.5rem; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p { margin: .4rem 0; }
a { color: #0b4f8a; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .88rem; }
pre.env { background: #f5f5f5; border: 1px solid var(--line); padding: .7rem .9rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
.lede { color: var(--muted); }
.status { font-weight: 600; }
.banner { display: block; margin: .8rem 0; padding: .6rem .9rem; border: 2px solid var(--warn-line); background: var(--warn-bg); font-weight: 600; }
.banner.error { border-color: var(--error-line); background: var(--error-bg); }
nav ul { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; padding: 0; margin: .4rem 0; list-style: none; }
table { border-collapse: collapse; margin: .5rem 0 .3rem; font-size: .9rem; }
caption { text-align: left; color: var(--muted); padding-bottom: .3rem; caption-side: top; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; vertical-align: top; text-align: left; }
thead th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.table-wrap { overflow-x: auto; }
.ci { display: block; color: var(--muted); font-size: .8rem; }
.ratio { display: block; font-size: .8rem; }
.better { color: var(--better); font-weight: 600; }
.worse { color: var(--worse); font-weight: 600; }
table.headline tbody th { white-space: nowrap; }
table.headline td:last-child { min-width: 16rem; }
ol.verdict li { margin: .35rem 0; max-width: 70rem; }
tr.reference th { font-style: italic; }
.warnings { border: 2px solid var(--warn-line); background: var(--warn-bg); padding: .4rem 1rem .6rem; margin: 1rem 0; }
.warnings h2 { border: 0; margin-top: .4rem; }
.warnings ul { margin: .3rem 0; padding-left: 1.3rem; }
.warnings li { margin: .2rem 0; }
.severity { font-weight: 700; text-transform: uppercase; font-size: .78rem; letter-spacing: .03em; margin-right: .3rem; }
.severity.error { color: var(--error-line); }
.severity.warning { color: var(--warn-line); }
.note { color: var(--muted); font-size: .88rem; max-width: 70rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 600px), 1fr)); gap: 1.2rem; margin-top: 1rem; }
figure.chart { margin: 0; border: 1px solid var(--line); padding: .5rem; break-inside: avoid; page-break-inside: avoid; }
figure.chart canvas { display: block; width: 100% !important; max-width: ${chartWidth}px; height: auto !important; margin: 0 auto; }
figcaption { font-size: .85rem; color: var(--muted); margin-top: .4rem; }
footer { margin-top: 2.5rem; border-top: 1px solid var(--line); padding-top: .6rem; color: var(--muted); font-size: .85rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .charts { display: block; }
  figure.chart { margin: 0 0 .6rem; }
  .warnings, .banner { background: none; }
  table { font-size: 8.5pt; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  .table-wrap { overflow: visible; }
}
`;

function renderEnvironment(results: Results): string {
  const lines = environmentLines(results);
  const width = Math.max(...lines.map((l) => l.label.length));
  const block = lines.map((l) => `${e(`${l.label}:`.padEnd(width + 2))}${e(l.value)}`).join('\n');
  const rows = scenarioSetupRows(results)
    .map(
      (r) =>
        `<tr><th scope="row"><a href="#scenario-${slug(r.scenario)}">${e(r.scenario)}</a></th><td>${e(r.rpc)}</td><td>${e(r.payload)}</td><td>${e(r.family)}</td><td>${e(r.engine)}</td><td>${e(r.load)}</td><td>${e(r.drivers)}</td><td class="num">${e(r.repetitions)}</td><td>${e(r.timing)}</td></tr>`,
    )
    .join('\n');
  return `<section id="environment" aria-labelledby="environment-title">
<h2 id="environment-title">Environment</h2>
<pre class="env">${block}</pre>
<div class="table-wrap"><table>
<caption>How each scenario ran</caption>
<thead><tr><th scope="col">scenario</th><th scope="col">RPC</th><th scope="col">payload</th><th scope="col">family</th><th scope="col">engine</th><th scope="col">load model</th><th scope="col">drivers</th><th scope="col">repetitions</th><th scope="col">timing</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>
</section>`;
}

function renderConnectionPolicy(results: Results): string {
  const rows = connectionPolicyRows(results)
    .map(
      (r) =>
        `<tr><th scope="row">${e(r.scenario)}</th><td>${e(r.variant)}</td><td class="num">${r.connections}</td><td class="num">${r.inFlightPerConnection}</td><td class="num">${r.inFlight}</td></tr>`,
    )
    .join('\n');
  return `<section id="connection-policy" aria-labelledby="connection-policy-title">
<h2 id="connection-policy-title">Connection policy</h2>
<p class="note">${e(connectionPolicyNote)}</p>
<div class="table-wrap"><table>
<thead><tr><th scope="col">scenario</th><th scope="col">variant</th><th scope="col">connections</th><th scope="col">in flight per connection</th><th scope="col">in flight in all</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>
</section>`;
}

function warningItem(warning: ReportWarning): string {
  return `<li><span class="severity ${warning.severity}">${warning.severity}</span><strong>${e(warning.where)}</strong>: ${e(warning.message)}</li>`;
}

function renderWarnings(model: ReportModel): string {
  if (model.warnings.length === 0 && model.recordedWarnings.length === 0) {
    return `<section id="warnings" aria-labelledby="warnings-title">
<h2 id="warnings-title">Warnings</h2>
<p>None: the run completed, no request failed, and no driver was saturated.</p>
</section>`;
  }
  const found =
    model.warnings.length === 0
      ? ''
      : `<h3>Found in the results</h3>\n<ul>\n${model.warnings.map(warningItem).join('\n')}\n</ul>`;
  const recorded =
    model.recordedWarnings.length === 0
      ? ''
      : `<h3>Recorded by the run</h3>\n<ul>\n${model.recordedWarnings.map(warningItem).join('\n')}\n</ul>`;
  return `<section id="warnings" class="warnings" aria-labelledby="warnings-title">
<h2 id="warnings-title">Warnings</h2>
<p>Read these before the numbers: each one limits what the figures below can tell.</p>
${found}
${recorded}
</section>`;
}

function renderHeadline(table: HeadlineTable, repetitions: string): string {
  const header = table.columns
    .map((c) => `<th scope="col">${e(c.label)}<br><span class="ci">${e(c.unit)}</span></th>`)
    .join('');
  const rows = table.rows
    .map((row) => {
      const cells = row.cells
        .map((cell) => {
          const word = verdictWord(cell.verdict);
          const interval = cell.interval ? `<span class="ci">${e(cell.interval)}</span>` : '';
          const ratio = cell.ratio
            ? `<span class="ratio${word ? ` ${word}` : ''}">${e(cell.ratio)}${word ? ` ${word}` : ''}</span>`
            : '';
          return `<td class="num">${e(cell.value)}${interval}${ratio}</td>`;
        })
        .join('');
      const name = row.isReference ? `${e(row.variant)} <span class="ci">reference</span>` : e(row.variant);
      return `<tr${row.isReference ? ' class="reference"' : ''}><th scope="row">${name}</th>${cells}<td class="num">${e(row.errors)}</td><td>${e(row.verdict)}</td></tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table class="headline">
<caption>${e(table.scenario)}: medians over ${e(repetitions)} repetitions; ${e(table.intervalNote)} below each figure; ratios are variant ÷ ${e(table.reference)}.</caption>
<thead><tr><th scope="col">variant</th>${header}<th scope="col">errors<br><span class="ci">failed + timed out</span></th><th scope="col">verdict vs ${e(table.reference)}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>
<p class="note"><strong>How to read this:</strong> ${e(headlineHowToRead)}</p>`;
}

function renderAttribution(view: ScenarioView): string {
  if (!hasAttribution(view)) return '';
  const header = attributionColumns.map((label) => `<th scope="col">${e(label)}</th>`).join('');
  const rows = attributionRows(view)
    .map((row) => {
      const cells = row.cells
        ? row.cells
            .map((cell) => {
              const word = cell.verdict === 'better' || cell.verdict === 'worse' ? ` ${cell.verdict}` : '';
              return `<td class="num"><span class="ratio${word}">${e(cell.text)}</span></td>`;
            })
            .join('')
        : attributionColumns.map(() => '<td class="num">–</td>').join('');
      const differs = row.note ? `${row.differs}; ${row.note}` : row.differs;
      return `<tr><th scope="row">${e(row.effect)}</th><td>${e(row.a)} ÷ ${e(row.b)}</td><td>${e(differs)}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table class="attribution">
<caption>${e(view.name)}: where the difference comes from</caption>
<thead><tr><th scope="col">effect</th><th scope="col">first ÷ second</th><th scope="col">what differs</th>${header}</tr></thead>
<tbody>
${rows}
</tbody>
</table></div>
<p class="note"><strong>How to read this:</strong> ${e(attributionHowToRead)}</p>`;
}

function renderBytes(view: ScenarioView): string {
  if (!hasByteRows(view)) return '';
  const columns = [...byteParts, 'total'];
  const header = [...columns.map((c) => `sent ${c}`), ...columns.map((c) => `received ${c}`)]
    .map((label) => `<th scope="col">${e(label)}</th>`)
    .join('');
  const dash = columns.map(() => '–');
  const rows = byteRows(view)
    .map(
      (row) =>
        `<tr><th scope="row">${e(row.variant)}</th>${[...(row.request ?? dash), ...(row.response ?? dash)]
          .map((cell) => `<td class="num">${e(cell)}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  return `<div class="table-wrap"><table class="bytes">
<caption>${e(view.name)}: bytes per call, by part</caption>
<thead><tr><th scope="col">variant</th>${header}</tr></thead>
<tbody>
${rows}
</tbody>
</table></div>
<p class="note"><strong>How to read this:</strong> ${e(byteTableHowToRead)}</p>`;
}

function renderScaling(results: Results): string {
  const series = scalingSeries(results);
  if (series.length === 0) return '';
  const header = scalingColumns.map((label) => `<th scope="col">${e(label)}</th>`).join('');
  const tables = series
    .map((s) => {
      const notes = s.notes.map((note) => `<p class="note"><strong>Note:</strong> ${e(note)}</p>`).join('\n');
      const rows = s.rows
        .map(
          (row) =>
            `<tr><th scope="row">${e(row.variant)}</th>${row.cells.map((cell) => `<td class="num">${e(cell)}</td>`).join('')}</tr>`,
        )
        .join('\n');
      return `${notes}
<div class="table-wrap"><table class="scaling">
<caption>${e(s.name)}: throughput by server workers</caption>
<thead><tr><th scope="col">variant</th>${header}</tr></thead>
<tbody>
${rows}
</tbody>
</table></div>`;
    })
    .join('\n');
  return `<section id="scaling" aria-labelledby="scaling-title">
<h2 id="scaling-title">Scaling with server workers</h2>
${tables}
<p class="note"><strong>How to read this:</strong> ${e(scalingHowToRead)}</p>
</section>`;
}

function renderChart(spec: ChartSpec): string {
  return `<figure class="chart" id="figure-${spec.id}">
<canvas id="chart-${spec.id}" width="${chartWidth}" height="${chartHeight}" role="img" aria-label="${e(spec.alt)}">${e(spec.alt)}</canvas>
<figcaption><strong>How to read this:</strong> ${e(spec.howToRead)}</figcaption>
</figure>`;
}

function renderScenarios(model: ReportModel, specs: readonly ChartSpec[]): string {
  return model.scenarios
    .map((view) => {
      const first = view.rows[0]?.result;
      const reps = [...new Set(view.rows.map((r) => r.result.repetitions.length))].join(' / ');
      const meta = first
        ? `${first.rpc} · payload ${first.payload} · ${first.family} · ${describeLoad(first)} · reference variant ${view.reference}`
        : '';
      const charts = specs
        .filter((s) => s.scenario === view.name)
        .map(renderChart)
        .join('\n');
      return `<section id="scenario-${slug(view.name)}" aria-labelledby="scenario-${slug(view.name)}-title">
<h2 id="scenario-${slug(view.name)}-title">Scenario ${e(view.name)}</h2>
<p class="lede">${e(meta)}</p>
${renderHeadline(headlineTable(view), reps)}
${renderAttribution(view)}
${renderBytes(view)}
<div class="charts">
${charts}
</div>
</section>`;
    })
    .join('\n');
}

function bootScript(): string {
  return `(function () {
  var runtime = ${chartRuntimeSource};
  var specs = JSON.parse(document.getElementById('chart-specs').textContent);
  var family = window.getComputedStyle(document.body).fontFamily;
  var drawn = 0;
  specs.forEach(function (spec) {
    var canvas = document.getElementById('chart-' + spec.id);
    if (!canvas || typeof Chart === 'undefined') return;
    new Chart(canvas, runtime.buildConfig(spec, {
      devicePixelRatio: Math.max(2, window.devicePixelRatio || 1),
      fontFamily: family,
      interactive: true
    }));
    drawn++;
  });
  document.documentElement.setAttribute('data-charts-drawn', String(drawn));
})();`;
}

export function renderHtml(results: Results): string {
  const model = buildReportModel(results);
  const specs = chartSpecs(model);
  const errors = model.warnings.filter((w) => w.severity === 'error').length;
  const total = model.warnings.length + model.recordedWarnings.length;
  const banner =
    total === 0
      ? ''
      : `<p class="banner${errors > 0 ? ' error' : ''}" role="alert"><a href="#warnings">⚠ ${total} warning${total === 1 ? '' : 's'}${errors > 0 ? `, ${errors} serious` : ''}</a>: read them before the numbers.</p>`;
  const nav = model.scenarios
    .map((s) => `<li><a href="#scenario-${slug(s.name)}">${e(s.name)}</a></li>`)
    .join('');
  const title = `grpc-rest-bench: ${results.suite.name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${e(results.environment.tool.name)} ${e(results.environment.tool.version)}">
<title>${e(title)}</title>
<link rel="icon" href="data:,">
<style>${styles}</style>
</head>
<body>
<header>
<h1>${e(title)}</h1>
<p class="lede">${e(results.suite.description)}</p>
<p class="status">Run ${e(results.endReason)} · ${e(results.startedAt)} → ${e(results.finishedAt)}</p>
${banner}
<nav aria-label="Sections"><ul><li><a href="#verdict">Verdict</a></li><li><a href="#crossovers">Crossovers</a></li><li><a href="#environment">Environment</a></li><li><a href="#connection-policy">Connection policy</a></li><li><a href="#warnings">Warnings</a></li>${scalingSeries(results).length > 0 ? '<li><a href="#scaling">Scaling</a></li>' : ''}${nav}</ul></nav>
</header>
<main>
${decisionHtml(results, specs, renderChart)}
${renderEnvironment(results)}
${renderConnectionPolicy(results)}
${renderWarnings(model)}
${renderScaling(results)}
${browserHtml(results)}
${renderScenarios(model, specs)}
</main>
<footer>
<p>Written by ${e(results.environment.tool.name)} ${e(results.environment.tool.version)} from results.json (schema version ${results.schemaVersion}). Charts are drawn in the page by Chart.js (MIT License), inlined; the page loads nothing from the network.</p>
<noscript><p>The charts need JavaScript; every figure they show is also in the tables and in each chart's text alternative.</p></noscript>
</footer>
<script>${inlineChartJs()}</script>
<script type="application/json" id="chart-specs">${jsonInScript(specs)}</script>
<script>${scriptSafe(bootScript())}</script>
</body>
</html>
`;
}
