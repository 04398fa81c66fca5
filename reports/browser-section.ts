/**
 * Browser-family scenarios: what the page's figures stand on. The timer the page had,
 * and what the browser spent (its main thread, its renderer, all of Chromium), so that
 * a result the browser limited says so rather than passing for the server's.
 */
import type { Results } from '../bench/results/results-types.js';
import { escapeHtml, escapeMarkdown, formatNumber, formatPercent } from './format.js';

export interface BrowserRow {
  readonly scenario: string;
  readonly variant: string;
  readonly cells: readonly string[];
}

export const browserColumns = [
  'scenario',
  'variant',
  'browser',
  'timer resolution',
  'page main thread busy',
  'renderer CPU (cores)',
  'all Chromium CPU (cores)',
  'limited by the browser',
] as const;

const range = (values: readonly number[], format: (v: number) => string) => {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? format(low) : `${format(low)}–${format(high)}`;
};

export function browserRows(results: Results): BrowserRow[] {
  return results.scenarios.flatMap((scenario) => {
    const figures = scenario.repetitions.flatMap((r) => (r.browser ? [r.browser] : []));
    if (figures.length === 0) return [];
    const first = figures[0]!;
    const limited = figures.filter((f) => f.limited).length;
    return [
      {
        scenario: scenario.scenario,
        variant: scenario.variant,
        cells: [
          `Chromium ${first.version}`,
          `${range(
            figures.map((f) => f.timerResolutionUs),
            (v) => `${formatNumber(v)} µs`,
          )}${first.crossOriginIsolated ? ' (cross-origin isolated)' : ''}`,
          range(
            figures.map((f) => f.pageMainThreadBusy),
            formatPercent,
          ),
          range(
            figures.map((f) => f.rendererCpu),
            (v) => formatNumber(v, 2),
          ),
          range(
            figures.map((f) => f.browserCpu),
            (v) => formatNumber(v, 2),
          ),
          limited === 0 ? 'no' : `yes, in ${limited} of ${figures.length} repetitions`,
        ],
      },
    ];
  });
}

const explanation =
  'Timed in the page with performance.now() (its resolution above); CPU over warm-up and window, from CDP (the main thread) and /proc (the processes). A browser near a whole core may have set these figures, not the server.';

export function browserMarkdown(results: Results): string {
  const rows = browserRows(results);
  if (rows.length === 0) return '';
  return [
    '## Measured from a browser',
    '',
    explanation,
    '',
    `| ${browserColumns.join(' | ')} |`,
    `| ${browserColumns.map(() => '---').join(' | ')} |`,
    ...rows.map(
      (row) =>
        `| ${escapeMarkdown(row.scenario)} | ${row.variant} | ${row.cells.map(escapeMarkdown).join(' | ')} |`,
    ),
    '',
  ].join('\n');
}

export function browserHtml(results: Results): string {
  const rows = browserRows(results);
  if (rows.length === 0) return '';
  const e = escapeHtml;
  return `<section id="browser" aria-labelledby="browser-title">
<h2 id="browser-title">Measured from a browser</h2>
<p>${e(explanation)}</p>
<table>
<thead><tr>${browserColumns.map((c) => `<th scope="col">${e(c)}</th>`).join('')}</tr></thead>
<tbody>
${rows.map((row) => `<tr><td>${e(row.scenario)}</td><td>${e(row.variant)}</td>${row.cells.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('\n')}
</tbody>
</table>
</section>`;
}
