/**
 * The CLI describes itself from one definition per command: `--help` prints it (exit 0)
 * and docs/cli.md is written from it, so neither can drift from what the parser accepts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliMarkdown } from '../../cli/cli-markdown.js';
import { formatHelp } from '../../cli/command-definition.js';
import { commandDefinitions, commands } from '../../cli/commands.js';
import { formatMarkdown } from '../../scripts/format-markdown.js';
import { runCli } from '../support/cli-process.js';

const definitions = await commandDefinitions();

describe('command definitions', () => {
  it('name each command as the command table does, with an example and a description per option', () => {
    expect(definitions.map((definition) => definition.name)).toEqual(Object.keys(commands));
    for (const definition of definitions) {
      expect(definition.examples.length, definition.name).toBeGreaterThan(0);
      for (const example of definition.examples)
        expect(example.startsWith(`grpc-rest-bench ${definition.name} `), example).toBe(true);
      for (const [name, option] of Object.entries(definition.options))
        expect(option.description.trim(), `${definition.name} --${name}`).not.toBe('');
    }
  });

  it('docs/cli.md is the one written from them (npm run docs:cli rewrites it)', () => {
    const committed = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    expect(committed, 'docs/cli.md is stale: run npm run docs:cli').toBe(
      formatMarkdown(cliMarkdown(definitions), 'docs/cli.md'),
    );
  });
});

describe('grpc-rest-bench --help', () => {
  it('lists every command with its summary, exit 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const definition of definitions) expect(result.stdout).toContain(definition.summary);
  });

  it.each(definitions.map((definition) => [definition.name, definition] as const))(
    '%s --help prints its usage, options with defaults, and an example, exit 0',
    async (name, definition) => {
      const result = await runCli([name, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${formatHelp(definition)}\n`);
      expect(result.stdout).toMatch(/^Usage: grpc-rest-bench /);
      expect(result.stdout).toMatch(/\nExamples?:\n {2}grpc-rest-bench /);
    },
  );
});
