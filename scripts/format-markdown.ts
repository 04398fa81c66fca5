/** Markdown as the project's formatter (`biome check`, part of `npm test`) would write it. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const biome = fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url));

/** `path` (relative to the repository) picks biome's settings for the file; nothing is written. */
export function formatMarkdown(markdown: string, path: string): string {
  return execFileSync(biome, ['format', `--stdin-file-path=${path}`], {
    cwd: root,
    input: markdown,
    encoding: 'utf8',
  });
}
