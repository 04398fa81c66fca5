import { join } from 'node:path';
import type { Results } from './results-types.js';
import { writeJsonAtomically } from './write-json-atomically.js';

/** Writes DIR/results.json atomically (a finished run's, or a running one's checkpoint). */
export function writeResults(outDir: string, results: Results): string {
  return writeJsonAtomically(join(outDir, 'results.json'), results);
}
