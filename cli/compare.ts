import { join, resolve } from 'node:path';
import { parsePercent, writeCompare } from '../reports/compare-runs.js';
import { InvalidResultsError, readResults } from '../reports/write-reports.js';
import { defineCommand, parseCommand } from './command-definition.js';
import { ExitCode } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export const compareCommand = defineCommand({
  name: 'compare',
  summary: "Compares two runs' results.json and finds regressions beyond the noise both runs recorded.",
  positionals: 'BASELINE_DIR CURRENT_DIR',
  description:
    "A regression is called only when it lies beyond the run-to-run noise both runs recorded (their repetitions' 95% intervals do not overlap) and beyond --threshold. Writes compare.html and compare.md. Exit code 4 when a regression is found.",
  options: {
    threshold: {
      type: 'string',
      value: 'PERCENT',
      defaultText: '0%',
      description: 'a regression must also be larger than this',
    },
    out: {
      type: 'string',
      value: 'DIR',
      defaultText: 'CURRENT_DIR',
      description: 'where compare.html and compare.md go',
    },
  },
  examples: ['grpc-rest-bench compare results/baseline results/latest --threshold 5%'],
});

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
  const { files, comparison } = writeCompare(outDir, baseline, current, { thresholdPercent });
  const regressions = comparison.rows.filter((row) => row.status === 'regression');
  for (const row of regressions) process.stdout.write(`regression: ${JSON.stringify(row)}\n`);
  process.stdout.write(
    `${regressions.length === 0 ? 'no regression' : `${regressions.length} regression(s)`} beyond the recorded noise${thresholdPercent ? ` and ${thresholdPercent}%` : ''}\n`,
  );
  process.stderr.write(`${files.join('\n')}\n`);
  return comparison.regression ? ExitCode.regression : ExitCode.ok;
}
