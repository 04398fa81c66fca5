import { ServiceError } from '../servers/core/service-error.js';
import { formatHelp } from './command-definition.js';
import { commandDefinitions, commands } from './commands.js';
import { ExitCode, exitCodesLine } from './exit-codes.js';
import { UsageError } from './usage-error.js';

/** `grpc-rest-bench --help`: every command's summary, so every command is loaded (help only). */
async function overview(): Promise<string> {
  const definitions = await commandDefinitions();
  const width = Math.max(...definitions.map((definition) => definition.name.length)) + 2;
  return `grpc-rest-bench: a fair gRPC vs REST benchmark around a speech + classification service

Usage: grpc-rest-bench COMMAND [options]

Commands:
${definitions.map((definition) => `  ${definition.name.padEnd(width)}${definition.summary}`).join('\n')}

Run "grpc-rest-bench COMMAND --help" for a command's options and an example.
${exitCodesLine}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${await overview()}\n`);
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(
      `unknown command "${name}": one of ${Object.keys(commands).join(', ')}\n(grpc-rest-bench --help lists them)\n`,
    );
    return ExitCode.usage;
  }
  const command = await load();
  const usage = formatHelp(command.definition);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.problems.map((p) => `error: ${p}`).join('\n')}\n\n${usage}\n`);
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
