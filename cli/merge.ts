import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatSummary } from '../bench/results/format-summary.js';
import { type MergeInput, mergeProblems, mergeResults } from '../bench/results/merge-results.js';
import { writeResults } from '../bench/results/write-results.js';
import { InvalidResultsError, readResults, writeReports } from '../reports/write-reports.js';
import { defineCommand, parseCommand } from './command-definition.js';
import { ExitCode } from './exit-codes.js';
import { UsageError } from './usage-error.js';

export const mergeCommand = defineCommand({
  name: 'merge',
  summary: 'Merges the results of drivers that loaded the same servers at the same time, exactly.',
  positionals: 'DIR...',
  description: `Merges the results.json of drivers that loaded the same servers at the same time (for example the pods of deploy/k8s's Indexed Job) into one results.json and its reports: counts and throughputs summed, latency histograms merged exactly (HDR), repetition i made of every driver's repetition i; each driver's own figures kept under "workers".

DIR is a folder holding results.json, or the file itself. Every input must be a completed run of the same suite with the same scenarios, variants and settings; every mismatch is reported at once, exit 2.`,
  options: {
    out: {
      type: 'string',
      default: 'results/merged',
      value: 'DIR',
      description: 'where the merged results.json and reports go',
    },
    json: {
      type: 'boolean',
      default: false,
      description: 'print the merged results.json on stdout instead of the summary table',
    },
  },
  examples: ['grpc-rest-bench merge /results/worker-0 /results/worker-1 --out /results/merged'],
});

export async function merge(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommand(mergeCommand, argv);
  const problems: string[] = [];
  const inputs: MergeInput[] = [];
  for (const given of positionals) {
    const path = resolve(given);
    const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'results.json') : path;
    if (!existsSync(file)) {
      problems.push(`${given}: no results.json there`);
      continue;
    }
    try {
      inputs.push({ source: given, results: readResults(file) });
    } catch (error) {
      if (!(error instanceof InvalidResultsError)) throw error;
      problems.push(...error.problems.map((problem) => `${given}: ${problem}`));
    }
  }
  if (positionals.length < 2) problems.unshift(`merge takes at least 2 results, not ${positionals.length}`);
  // The readable ones are checked against each other too: every problem at once.
  if (inputs.length >= 2) problems.push(...mergeProblems(inputs));
  if (problems.length > 0) throw new UsageError(problems);

  const merged = mergeResults(inputs);
  const outDir = resolve(values.out);
  const file = writeResults(outDir, merged);
  const reports = writeReports(outDir, merged);
  process.stdout.write(values.json ? `${JSON.stringify(merged, null, 2)}\n` : formatSummary(merged));
  process.stderr.write(
    `merged ${inputs.length} results\nresults: ${file}\nreports: ${reports.map((r) => r.slice(outDir.length + 1)).join(', ')}\n`,
  );
  return ExitCode.ok;
}
