import { ServiceError } from '../servers/core/service-error.js';
import { ExitCode } from './exit-codes.js';
import { UsageError } from './usage-error.js';

interface Command {
  readonly summary: string;
  /** Loaded on demand: `serve` should not pay for the benchmark's modules, nor break with them. */
  readonly load: () => Promise<{ run: (argv: readonly string[]) => Promise<number>; usage: string }>;
}

const commands: Record<string, Command> = {
  run: {
    summary: 'run [--suite quick|full|FILE] [--out DIR]    the benchmark: servers, load, results.json',
    load: async () => {
      const m = await import('./run.js');
      return { run: m.run, usage: m.runUsage };
    },
  },
  load: {
    summary: 'load --target VARIANT --rpc RPC ...           drive an already running server',
    load: async () => {
      const m = await import('./load.js');
      return { run: m.load, usage: m.loadUsage };
    },
  },
  report: {
    summary: 'report DIR                                    regenerate the reports from DIR/results.json',
    load: async () => {
      const m = await import('./report.js');
      return { run: m.report, usage: m.reportUsage };
    },
  },
  merge: {
    summary: 'merge DIR... [--out DIR]                      merge the results of concurrent drivers exactly',
    load: async () => {
      const m = await import('./merge.js');
      return { run: m.merge, usage: m.mergeUsage };
    },
  },
  compare: {
    summary: 'compare BASELINE_DIR CURRENT_DIR [--threshold 5%]  find regressions beyond the noise',
    load: async () => {
      const m = await import('./compare.js');
      return { run: m.compare, usage: m.compareUsage };
    },
  },
  soak: {
    summary:
      'soak [--duration 10m] [--out DIR]             long mixed load: server RSS and event loop over time',
    load: async () => {
      const m = await import('./soak.js');
      return { run: m.soak, usage: m.soakUsage };
    },
  },
  serve: {
    summary: 'serve [--protocol grpc|rest|both] ...         start the servers',
    load: async () => {
      const m = await import('./serve.js');
      return { run: m.serve, usage: m.serveUsage };
    },
  },
  call: {
    summary: 'call grpc|rest RPC ...                        one call, response as JSON',
    load: async () => {
      const m = await import('./call.js');
      return { run: m.call, usage: m.callUsage };
    },
  },
  eval: {
    summary: 'eval [--stt auto|sphinx|reference] [--json]  WER, accuracy and latency on the corpus',
    load: async () => {
      const m = await import('./eval.js');
      return { run: m.evaluate, usage: m.evalUsage };
    },
  },
  sizes: {
    summary: 'sizes [--json]                                protobuf vs JSON: bytes, gzip, codec time',
    load: async () => {
      const m = await import('./sizes.js');
      return { run: m.sizes, usage: m.sizesUsage };
    },
  },
};

const overview = `grpc-rest-bench: a fair gRPC vs REST benchmark around a speech + classification service

Commands:
${Object.values(commands)
  .map((command) => `  grpc-rest-bench ${command.summary}`)
  .join('\n')}

Run "grpc-rest-bench COMMAND --help" for a command's options.
Exit codes: 0 ok, 1 run failed, 2 bad usage or config, 3 thresholds breached, 4 regression, 130 interrupted.`;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${overview}\n`);
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const entry = commands[name];
  if (!entry) {
    process.stderr.write(`unknown command "${name}"\n\n${overview}\n`);
    return ExitCode.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.problems.map((p) => `error: ${p}`).join('\n')}\n\n${command.usage}\n`);
      return ExitCode.usage;
    }
    if (error instanceof ServiceError) {
      process.stderr.write(`${JSON.stringify(error.toJSON())}\n`);
      return error.code === 'FAILED_PRECONDITION' && name === 'serve' ? ExitCode.usage : ExitCode.runFailed;
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ExitCode.runFailed;
  }
}

process.exitCode = await main(process.argv.slice(2));
