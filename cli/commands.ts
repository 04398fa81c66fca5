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
  run: () => import('./run.js').then((m) => ({ definition: m.runCommand, run: m.run })),
  load: () => import('./load.js').then((m) => ({ definition: m.loadCommand, run: m.load })),
  report: () => import('./report.js').then((m) => ({ definition: m.reportCommand, run: m.report })),
  merge: () => import('./merge.js').then((m) => ({ definition: m.mergeCommand, run: m.merge })),
  compare: () => import('./compare.js').then((m) => ({ definition: m.compareCommand, run: m.compare })),
  soak: () => import('./soak.js').then((m) => ({ definition: m.soakCommand, run: m.soak })),
  serve: () => import('./serve.js').then((m) => ({ definition: m.serveCommand, run: m.serve })),
  call: () => import('./call.js').then((m) => ({ definition: m.callCommand, run: m.call })),
  eval: () => import('./eval.js').then((m) => ({ definition: m.evalCommand, run: m.evaluate })),
  sizes: () => import('./sizes.js').then((m) => ({ definition: m.sizesCommand, run: m.sizes })),
  advise: () => import('./advise.js').then((m) => ({ definition: m.adviseCommand, run: m.adviseCli })),
};

/** Every command's definition, in the table's order (for the overview and docs/cli.md). */
export async function commandDefinitions(): Promise<CommandDefinition[]> {
  const loaded = await Promise.all(Object.values(commands).map((load) => load()));
  return loaded.map((command) => command.definition);
}
