import type { CommandDefinition } from './command-definition.js';

export interface Command {
  readonly definition: CommandDefinition;
  readonly run: (argv: readonly string[]) => Promise<number>;
}

/**
 * Every command, loaded on demand: `serve` should not pay for the benchmark's modules, nor
 * break with them. A new command defines itself in its own file (`defineCommand`) and is
 * listed here; its `--help` and its section of docs/cli.md follow from the definition.
 */
export const commands: Readonly<Record<string, () => Promise<Command>>> = {
  run: async () => {
    const m = await import('./run.js');
    return { definition: m.runCommand, run: m.run };
  },
  load: async () => {
    const m = await import('./load.js');
    return { definition: m.loadCommand, run: m.load };
  },
  report: async () => {
    const m = await import('./report.js');
    return { definition: m.reportCommand, run: m.report };
  },
  merge: async () => {
    const m = await import('./merge.js');
    return { definition: m.mergeCommand, run: m.merge };
  },
  compare: async () => {
    const m = await import('./compare.js');
    return { definition: m.compareCommand, run: m.compare };
  },
  soak: async () => {
    const m = await import('./soak.js');
    return { definition: m.soakCommand, run: m.soak };
  },
  serve: async () => {
    const m = await import('./serve.js');
    return { definition: m.serveCommand, run: m.serve };
  },
  call: async () => {
    const m = await import('./call.js');
    return { definition: m.callCommand, run: m.call };
  },
  eval: async () => {
    const m = await import('./eval.js');
    return { definition: m.evalCommand, run: m.evaluate };
  },
  sizes: async () => {
    const m = await import('./sizes.js');
    return { definition: m.sizesCommand, run: m.sizes };
  },
};

/** Every command's definition, in the table's order (for the overview and docs/cli.md). */
export async function commandDefinitions(): Promise<CommandDefinition[]> {
  const loaded = await Promise.all(Object.values(commands).map((load) => load()));
  return loaded.map((command) => command.definition);
}
