import { parseOptions } from './parse-options.js';

/** One option: how it parses, and what `--help` and docs/cli.md say about it. */
export interface OptionDefinition {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  /** Given to the parser when the option is absent. */
  readonly default?: string | boolean;
  /** The default as help shows it, when the command works it out itself ("a fifth of --duration"). */
  readonly defaultText?: string;
  /** The value's placeholder in help: `--out DIR`. */
  readonly value?: string;
  readonly description: string;
}

export type OptionDefinitions = Readonly<Record<string, OptionDefinition>>;

/** A command as parsing, `--help` and docs/cli.md all read it. */
export interface CommandDefinition<O extends OptionDefinitions = OptionDefinitions> {
  readonly name: string;
  /** One line, for the command list. */
  readonly summary: string;
  /** The positional arguments, as the usage line shows them (`BASELINE_DIR CURRENT_DIR`); none when absent. */
  readonly positionals?: string;
  /** What the command does, its output and exit codes, beyond the options (paragraphs). */
  readonly description?: string;
  readonly options: O;
  readonly examples: readonly string[];
}

/** Keeps the options' literal types, so that parsing a command gives typed values. */
export function defineCommand<const O extends OptionDefinitions>(
  definition: CommandDefinition<O>,
): CommandDefinition<O> {
  return definition;
}

/** Strict parsing by the command's own definition: unknown flags and missing values are usage errors. */
export function parseCommand<const O extends OptionDefinitions>(
  definition: CommandDefinition<O>,
  argv: readonly string[],
) {
  return parseOptions(argv, definition.options, definition.positionals !== undefined);
}

export function usageLine(definition: CommandDefinition): string {
  const positionals = definition.positionals === undefined ? '' : ` ${definition.positionals}`;
  const options = Object.keys(definition.options).length > 0 ? ' [options]' : '';
  return `grpc-rest-bench ${definition.name}${positionals}${options}`;
}

export function optionLabel(name: string, option: OptionDefinition): string {
  return option.type === 'boolean' ? `--${name}` : `--${name} ${option.value ?? 'VALUE'}`;
}

/** The default as a person reads it, or undefined when there is none worth saying. */
export function optionDefault(option: OptionDefinition): string | undefined {
  if (option.defaultText !== undefined) return option.defaultText;
  if (option.type === 'boolean' || option.default === undefined || option.default === '') return undefined;
  return String(option.default);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push(line);
  }
  return lines;
}

const helpWidth = 100;

/** What `grpc-rest-bench COMMAND --help` prints. */
export function formatHelp(definition: CommandDefinition): string {
  const rows = Object.entries(definition.options).map(([name, option]) => {
    const fallback = optionDefault(option);
    const repeat = option.multiple ? ' (repeatable)' : '';
    return {
      label: optionLabel(name, option),
      text: `${option.description}${repeat}${fallback === undefined ? '' : ` (default: ${fallback})`}`,
    };
  });
  rows.push({ label: '-h, --help', text: 'print this help' });
  const column = Math.min(30, Math.max(...rows.map((row) => row.label.length)) + 2);
  const options = rows.flatMap(({ label, text }) => {
    const [first = '', ...rest] = wrap(text, helpWidth - column - 2);
    const head =
      label.length + 2 <= column
        ? [`  ${label.padEnd(column)}${first}`]
        : [`  ${label}`, `  ${' '.repeat(column)}${first}`];
    return [...head, ...rest.map((line) => `  ${' '.repeat(column)}${line}`)];
  });
  return [
    `Usage: ${usageLine(definition)}`,
    '',
    ...wrap(definition.summary, helpWidth),
    ...(definition.description === undefined ? [] : ['', ...wrap(definition.description, helpWidth)]),
    '',
    'Options:',
    ...options,
    '',
    definition.examples.length === 1 ? 'Example:' : 'Examples:',
    ...definition.examples.map((example) => `  ${example}`),
  ].join('\n');
}
