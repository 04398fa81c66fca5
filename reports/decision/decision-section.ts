/**
 * The section a report opens with: the Verdict (verdict-sentences.ts), the crossover table
 * (crossovers.ts), the winner map (winner-map.ts) and the size charts (size-charts.ts), in
 * HTML and in Markdown from the same data.
 */
import type { Results } from '../../bench/results/results-types.js';
import type { ChartSpec } from '../chart-specs.js';
import { escapeHtml as e, escapeMarkdown as m } from '../format.js';
import { type Crossover, crossoversOf, figureLabels } from './crossovers.js';
import { decisionChartScenario } from './size-charts.js';
import { sweepsOf } from './sweeps.js';
import { verdictSentences } from './verdict-sentences.js';
import { type WinnerMap, winnerMaps } from './winner-map.js';

export const crossoverHowToRead =
  'For each network, tuning and headline pair, the message size at which the faster variant changes: the log-ratio of the two variants is interpolated on log size between the two measured sizes around the change, and the range is where the ends of the 95% intervals cross. A change is only placed between two sizes where the statistics name a winner on both sides; equivalent or undecided sizes never make one. "none between X and Y" says what held over the sizes measured.';

export const winnerMapHowToRead =
  'Each cell names the variant with the lowest p50 at that size and network, and by how much it leads the next one when the paired 95% interval says so; "≈" marks an equivalence (within ±10%), "undecided" a difference this run cannot resolve.';

interface CrossoverRow {
  readonly cells: readonly string[];
}

const crossoverHeader = [
  'network',
  'tuning',
  'rpc and load',
  'pair (A vs B)',
  'figure',
  'where the winner changes',
];

function crossoverRows(crossovers: readonly Crossover[]): CrossoverRow[] {
  return crossovers.map((c) => ({
    cells: [
      c.sweep.network.name,
      c.sweep.tuning,
      `${c.sweep.rpc}, ${c.sweep.load}`,
      `${c.a} vs ${c.b}`,
      figureLabels[c.figure],
      c.text,
    ],
  }));
}

/** The crossovers worth a row: sweeps of two sizes or more. */
function tableCrossovers(results: Results): Crossover[] {
  return crossoversOf(sweepsOf(results).filter((s) => s.points.length >= 2));
}

const noSweep =
  'No sweep in this run has two message sizes of one RPC on the same network, tuning and load, so no crossover can be placed; the decision suite (grpc-rest-bench run --suite decision) measures them.';

export function decisionHtml(
  results: Results,
  specs: readonly ChartSpec[],
  renderChart: (spec: ChartSpec) => string,
): string {
  const sentences = verdictSentences(results);
  const crossovers = crossoverRows(tableCrossovers(results));
  const maps = winnerMaps(sweepsOf(results));
  const charts = specs.filter((s) => s.scenario === decisionChartScenario);
  const table = (header: readonly string[], rows: readonly (readonly string[])[], caption: string) =>
    `<div class="table-wrap"><table><caption>${e(caption)}</caption><thead><tr>${header.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
      .map((row) => `<tr>${row.map((cell) => `<td>${e(cell)}</td>`).join('')}</tr>`)
      .join('')}</tbody></table></div>`;
  return `<section id="verdict" aria-labelledby="verdict-title">
<h2 id="verdict-title">Verdict</h2>
<ol class="verdict">
${sentences.map((s) => `<li>${e(s.text)} <a href="${e(s.evidence.anchor)}">(${e(s.evidence.label)})</a></li>`).join('\n')}
</ol>
</section>
<section id="crossovers" aria-labelledby="crossovers-title">
<h2 id="crossovers-title">Crossovers</h2>
${
  crossovers.length === 0
    ? `<p>${e(noSweep)}</p>`
    : `${table(
        crossoverHeader,
        crossovers.map((r) => r.cells),
        'Where the winner changes with message size',
      )}<p class="note"><strong>How to read this:</strong> ${e(crossoverHowToRead)}</p>`
}
${maps.map((map) => winnerMapHtml(map, table)).join('\n')}${maps.length > 0 ? `<p class="note"><strong>How to read this:</strong> ${e(winnerMapHowToRead)}</p>` : ''}
${charts.length > 0 ? `<div class="charts">\n${charts.map(renderChart).join('\n')}\n</div>` : ''}
</section>`;
}

function winnerMapHtml(
  map: WinnerMap,
  table: (header: readonly string[], rows: readonly (readonly string[])[], caption: string) => string,
): string {
  return table(
    ['size', ...map.networks],
    map.rows.map((row) => [row.size, ...row.cells.map((c) => c?.text ?? '–')]),
    `Winner map: ${map.title}`,
  );
}

export function decisionMarkdown(
  results: Results,
  specs: readonly ChartSpec[],
  charts: boolean,
  chartMarkdown: (spec: ChartSpec) => string,
  table: (
    header: readonly string[],
    align: readonly ('left' | 'right')[],
    rows: readonly (readonly string[])[],
  ) => string,
): string {
  const sentences = verdictSentences(results);
  const crossovers = crossoverRows(tableCrossovers(results));
  const maps = winnerMaps(sweepsOf(results));
  const parts = [
    '## Verdict',
    '',
    ...sentences.map((s, i) => `${i + 1}. ${m(s.text)} ([${m(s.evidence.label)}](${s.evidence.anchor}))`),
    '',
    '## Crossovers',
    '',
  ];
  if (crossovers.length === 0) parts.push(m(noSweep));
  else
    parts.push(
      table(
        crossoverHeader,
        crossoverHeader.map(() => 'left' as const),
        crossovers.map((r) => r.cells.map(m)),
      ),
      '',
      `*How to read this:* ${m(crossoverHowToRead)}`,
    );
  for (const map of maps) {
    parts.push(
      '',
      `**Winner map: ${m(map.title)}**`,
      '',
      table(
        ['size', ...map.networks.map(m)],
        ['right', ...map.networks.map(() => 'left' as const)],
        map.rows.map((row) => [m(row.size), ...row.cells.map((c) => m(c?.text ?? '–'))]),
      ),
    );
  }
  if (maps.length > 0) parts.push('', `*How to read this:* ${m(winnerMapHowToRead)}`);
  if (charts)
    for (const spec of specs.filter((s) => s.scenario === decisionChartScenario))
      parts.push('', chartMarkdown(spec));
  return parts.join('\n');
}

/** The Verdict as the console prints it after a run: the same sentences, numbered. */
export function verdictLines(results: Results): string[] {
  return ['Verdict:', ...verdictSentences(results).map((s, i) => `  ${i + 1}. ${s.text}`)];
}
