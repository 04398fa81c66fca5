import { join, resolve } from 'node:path';
import { defaultFigureSpread, type FigureSpread, type RunSpread } from '../bench/stats/run-spread.js';
import { parsePercent, writeCompare } from '../reports/compare-runs.js';
import { InvalidResultsError, readResults } from '../reports/write-reports.js';
import { defineCommand, parseCommand } from './command-definition.js';
import { ExitCode } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export const compareCommand = defineCommand({
  name: 'compare',
  summary:
    "Compares two runs' results.json and finds regressions beyond the noise, controlled over the whole table.",
  positionals: 'BASELINE_DIR CURRENT_DIR',
  description:
    "Current ÷ baseline per scenario, variant and figure, and of each variant against its scenario's other variants (what moved for it alone), with a 95% interval from both runs' repetitions plus the measured run-to-run spread, and a verdict (regression | improvement | equivalent | undecided). A regression is called only when it is significant after Holm's correction over the whole table (an unchanged build fails at most 5% of the time, not 5% per row) and beyond --threshold. Writes compare.html and compare.md. Exit code 4 when a regression is found (docs/verdicts.md).",
  options: {
    threshold: {
      type: 'string',
      value: 'PERCENT',
      defaultText: '0%',
      description: 'a regression must also be larger than this',
    },
    'run-spread': {
      type: 'string',
      value: 'throughput=5%,p50=5%,p99=15%',
      defaultText: 'bench/stats/run-spread.ts',
      description:
        'the run-to-run spread of your machine, as `npm run bench:verdicts:gate` measures it; every figure named once, and optionally relative-throughput, relative-p50, relative-p99 for the rows against the other variants (default: the same as the figure)',
    },
    out: {
      type: 'string',
      value: 'DIR',
      defaultText: 'CURRENT_DIR',
      description: 'where compare.html and compare.md go',
    },
  },
  examples: [
    'grpc-rest-bench compare results/baseline results/latest --threshold 5%',
    'grpc-rest-bench compare results/baseline results/latest --run-spread throughput=8%,p50=10%,p99=20%',
  ],
});

/**
 * "throughput=5%,p50=5%,p99=15%": every figure named once; "relative-throughput=3%" and the like
 * optionally, for the rows against the scenario's other variants (absent: the figure's own).
 */
function parseRunSpread(text: string, problems: string[]): RunSpread | undefined {
  const figureNames = Object.keys(defaultFigureSpread) as (keyof FigureSpread)[];
  const names = [...figureNames, ...figureNames.map((name) => `relative-${name}`)];
  const problemsBefore = problems.length;
  const given = new Map<string, number>();
  const named = new Set<string>();
  for (const part of text.split(',')) {
    const [name, value] = part.split('=');
    if (!name || !names.includes(name) || value === undefined) {
      problems.push(`--run-spread: "${part}" is not FIGURE=PERCENT with FIGURE one of ${names.join(', ')}`);
      continue;
    }
    if (named.has(name)) problems.push(`--run-spread: ${name} is given twice`);
    named.add(name);
    try {
      given.set(name, parsePercent(value) / 100);
    } catch (error) {
      problems.push(`--run-spread: ${(error as Error).message}`);
    }
  }
  const missing = figureNames.filter((name) => !named.has(name));
  if (missing.length > 0) problems.push(`--run-spread: give every figure (missing ${missing.join(', ')})`);
  if (problems.length > problemsBefore) return undefined;
  const spread = (prefix: string): FigureSpread => {
    const pick = (name: keyof FigureSpread) => given.get(`${prefix}${name}`) ?? given.get(name)!;
    return { throughput: pick('throughput'), p50: pick('p50'), p99: pick('p99') };
  };
  return { ...spread(''), relative: spread('relative-') };
}

function countText(rows: readonly { readonly status: string }[]): string {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.status, (counts.get(row.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
}

export async function compare(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand(compareCommand, argv);
  const problems: string[] = [];
  if (positionals.length !== 2) problems.push('compare takes two folders: compare BASELINE_DIR CURRENT_DIR');
  let thresholdPercent = 0;
  if (values.threshold !== undefined) {
    try {
      thresholdPercent = parsePercent(values.threshold);
    } catch (error) {
      problems.push(`--threshold: ${(error as Error).message}`);
    }
  }
  const runSpread =
    values['run-spread'] === undefined ? undefined : parseRunSpread(values['run-spread'], problems);
  if (problems.length > 0) throw new UsageError(problems);
  const [baselineDir, currentDir] = positionals.map((p) => resolve(p)) as [string, string];
  let baseline: ReturnType<typeof readResults>;
  let current: ReturnType<typeof readResults>;
  try {
    baseline = readResults(join(baselineDir, 'results.json'));
    current = readResults(join(currentDir, 'results.json'));
  } catch (error) {
    if (error instanceof InvalidResultsError) throw new UsageError([error.message]);
    throw error;
  }
  const outDir = resolve(values.out ?? currentDir);
  const { files, comparison } = writeCompare(outDir, baseline, current, {
    thresholdPercent,
    ...(runSpread ? { runSpread } : {}),
  });
  const regressions = comparison.rows.filter((row) => row.status === 'regression');
  for (const row of regressions) process.stdout.write(`regression: ${JSON.stringify(row)}\n`);
  process.stdout.write(
    `${regressions.length === 0 ? 'no regression' : `${regressions.length} regression(s)`} significant over the whole table (Holm, 5%)${thresholdPercent ? ` and beyond ${thresholdPercent}%` : ''}; ${countText(comparison.rows)}\n`,
  );
  process.stderr.write(`${files.join('\n')}\n`);
  return comparison.regression ? ExitCode.regression : ExitCode.ok;
}
