import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Results } from './results-types.js';

/**
 * Writes results.json so that a reader never sees half a file: a temporary file,
 * fsynced, then renamed over the old one.
 */
export function writeResults(outDir: string, results: Results): string {
  const target = join(outDir, 'results.json');
  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, `${JSON.stringify(results, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, target);
  return target;
}
