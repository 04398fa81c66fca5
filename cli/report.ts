import { resolve } from 'node:path';
import { InvalidResultsError, regenerateReports } from '../reports/write-reports.js';
import { ExitCode } from './exit-codes.js';
import { parseOptions } from './parse-options.js';
import { UsageError } from './usage-error.js';

export const reportUsage = `grpc-rest-bench report DIR
  Regenerates report.html, report.md, charts/*.png, benchmark-action files (and
  junit.xml when the suite had thresholds) in DIR from DIR/results.json alone.`;

export async function report(argv: readonly string[]): Promise<number> {
  const { positionals } = parseOptions(argv, {}, true);
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
