import { ServiceError } from '../servers/core/service-error.js';
import { call, callUsage } from './call.js';
import { evalUsage, evaluate } from './eval.js';
import { ExitCode } from './exit-codes.js';
import { run, runUsage } from './run.js';
import { serve, serveUsage } from './serve.js';
import { UsageError } from './usage-error.js';

const commands: Record<string, { run: (argv: readonly string[]) => Promise<number>; usage: string }> = {
  run: { run, usage: runUsage },
  serve: { run: serve, usage: serveUsage },
  call: { run: call, usage: callUsage },
  eval: { run: evaluate, usage: evalUsage },
};

const overview = `grpc-rest-bench: a fair gRPC vs REST benchmark around a speech + classification service

Commands:
${Object.values(commands)
  .map((command) => `  ${command.usage.split('\n')[0]}`)
  .join('\n')}

Run "grpc-rest-bench COMMAND --help" for a command's options.`;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${overview}\n`);
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`unknown command "${name}"\n\n${overview}\n`);
    return ExitCode.usage;
  }
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
