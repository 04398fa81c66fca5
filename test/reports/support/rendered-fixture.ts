import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Results } from '../../../bench/results/results-types.js';
import { writeResults } from '../../../bench/results/write-results.js';
import { writeReports } from '../../../reports/write-reports.js';
import { type FixtureOptions, makeResults } from '../fixtures/make-results.js';

export interface RenderedFixture {
  readonly dir: string;
  readonly results: Results;
  readonly files: readonly string[];
  /** Deletes the directory. */
  readonly remove: () => void;
}

/** A fresh temporary directory with the fixture's results.json and every report written from it. */
export function renderFixture(options: FixtureOptions = {}): RenderedFixture {
  const dir = mkdtempSync(join(tmpdir(), 'grpc-rest-bench-reports-'));
  const results = makeResults(options);
  writeResults(dir, results);
  return {
    dir,
    results,
    files: writeReports(dir, results),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** test-artifacts/ at the repository root (git-ignored): screenshots and files worth a look after a run. */
export const artifactsDir = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
