/**
 * Every report of a run, from its results alone: report.html, report.md, charts/*.png, the two
 * github-action-benchmark files, and junit.xml when the suite has thresholds. `regenerateReports`
 * rebuilds them all from an existing results.json, so reports can be re-rendered (after a fix to
 * a renderer, say) without re-running anything.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Results } from '../bench/results/results-types.js';
import { resultsProblems } from '../bench/results/validate-results.js';
import { writeBenchmarkAction } from './render-benchmark-action.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import { renderPngCharts } from './render-png.js';
import { checkThresholds, renderJunit } from './thresholds.js';

export class InvalidResultsError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file} is not a valid results document:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidResultsError';
  }
}

/** Writes every report into `outDir`; returns the paths written, in order. */
export function writeReports(outDir: string, results: Results): string[] {
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, text: string) => {
    const path = join(outDir, name);
    writeFileSync(path, text);
    files.push(path);
  };
  write('report.html', renderHtml(results));
  write('report.md', renderMarkdown(results));
  files.push(...renderPngCharts(outDir, results));
  files.push(...writeBenchmarkAction(outDir, results));
  if (results.suite.thresholds.length > 0) {
    write('junit.xml', renderJunit(checkThresholds(results, results.suite.thresholds), results.suite.name));
  }
  return files;
}

/** Reads and checks `file`; throws InvalidResultsError listing every problem. */
export function readResults(file: string): Results {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidResultsError(file, [`cannot read it as JSON: ${(error as Error).message}`]);
  }
  const problems = resultsProblems(document);
  if (problems.length > 0) throw new InvalidResultsError(file, problems);
  return document as Results;
}

/** Re-renders every report in `outDir` from `outDir/results.json` alone. */
export function regenerateReports(outDir: string): string[] {
  return writeReports(outDir, readResults(join(outDir, 'results.json')));
}
