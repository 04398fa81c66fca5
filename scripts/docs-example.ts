/**
 * The README's "what a result looks like": a real quick-suite run's summary and one of its charts,
 * written under docs/example/ and into README.md between the example markers (`npm run docs:example`).
 *
 *   tsx scripts/docs-example.ts [--from DIR] [--note TEXT]
 *
 * Without --from it runs `grpc-rest-bench run --suite quick` (what `npm start` runs, about 4 minutes)
 * into results/docs-example first; --from DIR renders from that run's DIR/results.json instead.
 * --note says what else the machine was doing, for the context line.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatSummary } from '../bench/results/format-summary.js';
import type { Results } from '../bench/results/results-types.js';
import { chartSpecs } from '../reports/chart-specs.js';
import { renderChartPng } from '../reports/render-png.js';
import { buildReportModel } from '../reports/report-model.js';
import { readResults } from '../reports/write-reports.js';
import { formatMarkdown } from './format-markdown.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const exampleDir = join(root, 'docs/example');
/** The scenario the README shows: audio upload, where the variants differ most. */
const scenario = 'transcribe-3s';
const chartId = `${scenario}-throughput`;
const start = '<!-- example:start (written by npm run docs:example) -->';
const end = '<!-- example:end -->';

const { values } = parseArgs({
  options: { from: { type: 'string' }, note: { type: 'string' } },
  strict: true,
});

let dir = values.from === undefined ? undefined : resolve(values.from);
if (dir === undefined) {
  dir = join(root, 'results/docs-example');
  execFileSync(
    process.execPath,
    [join(root, 'bin/grpc-rest-bench.js'), 'run', '--suite', 'quick', '--out', dir],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}
const results: Results = readResults(join(dir, 'results.json'));

const env = results.environment;
const context = [
  `Measured ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
  `${env.cpuModel} × ${env.cores} cores, ${Math.round(env.memoryBytes / 2 ** 30)} GiB, ${env.os}, node ${env.node}`,
  `commit ${env.gitCommit.slice(0, 7)}${env.gitDirty ? ' (modified)' : ''}`,
  `\`grpc-rest-bench run --suite ${results.suite.name}\` (= \`npm start\`)`,
  ...(values.note === undefined ? [] : [values.note]),
].join(' · ');

const summary = formatSummary(results);
// The environment line, the table's header and this scenario's rows, the verdicts' header and its
// throughput verdicts, and the warnings about it.
const kept = summary
  .split('\n')
  .filter(
    (line, index) =>
      index === 0 ||
      line === '' ||
      line.startsWith('scenario ') ||
      line === 'warnings:' ||
      line.startsWith(`  ! ${scenario}/`) ||
      (line.startsWith(`${scenario} `) && (!line.includes('÷') || line.includes(' rps '))),
  );
const excerpt = kept
  .join('\n')
  .replace(/\n{3,}/g, '\n\n')
  .replace(/warnings:\n*$/, '')
  .trim();

mkdirSync(exampleDir, { recursive: true });
writeFileSync(join(exampleDir, 'summary.txt'), `${context}\n\n${summary}`);
const spec = chartSpecs(buildReportModel(results)).find((chart) => chart.id === chartId);
if (!spec) throw new Error(`no chart ${chartId} in ${dir}/results.json`);
writeFileSync(join(exampleDir, `${chartId}.png`), renderChartPng(spec));

const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const [before, rest] = readme.split(start);
const after = rest?.split(end)[1];
if (before === undefined || after === undefined) throw new Error(`README.md has no ${start} … ${end} block`);
const block = [
  start,
  '',
  `${context}. The ${scenario} rows of the summary it prints (all of it: [docs/example/summary.txt](docs/example/summary.txt)):`,
  '',
  '```text',
  excerpt,
  '```',
  '',
  `![${spec.title}](docs/example/${chartId}.png)`,
  '',
  end,
].join('\n');
writeFileSync(readmePath, formatMarkdown(`${before}${block}${after}`, 'README.md'));
process.stderr.write(`wrote docs/example/summary.txt, docs/example/${chartId}.png and README.md's example\n`);
