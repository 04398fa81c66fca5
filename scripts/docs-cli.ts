/** Writes docs/cli.md from the commands' own definitions (`npm run docs:cli`); a test fails when it is stale. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cliMarkdown } from '../cli/cli-markdown.js';
import { commandDefinitions } from '../cli/commands.js';
import { formatMarkdown } from './format-markdown.js';

const file = fileURLToPath(new URL('../docs/cli.md', import.meta.url));
writeFileSync(file, formatMarkdown(cliMarkdown(await commandDefinitions()), 'docs/cli.md'));
process.stderr.write(`wrote ${file}\n`);
