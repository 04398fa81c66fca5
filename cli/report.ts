import { resolve } from 'node:path';
import { InvalidResultsError, regenerateReports } from '../reports/write-reports.js';
import { defineCommand, parseCommand } from './command-definition.js';
import { ExitCode } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export const reportCommand = defineCommand({
  name: 'report',
  summary: 'Regenerates the reports of a run from its results.json alone.',
  positionals: 'DIR',
  description:
    'Writes report.html, report.md, charts/*.png, the benchmark-action files (and junit.xml when the suite had thresholds) in DIR from DIR/results.json; a partial (checkpoint) results.json gets a "partial" warning.',
  options: {},
  examples: ['grpc-rest-bench report results/latest'],
});

export async function report(argv: readonly string[]): Promise<number> {
  const { positionals } = parseCommand(reportCommand, argv);
  if (positionals.length !== 1) throw new UsageError(['report takes one folder: report DIR']);
  const dir = resolve(positionals[0]!);
  try {
    const files = regenerateReports(dir);
    process.stderr.write(`${files.map((f) => f.slice(dir.length + 1)).join('\n')}\n`);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof InvalidResultsError) throw new UsageError([error.message]);
    throw error;
  }
}
