import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type ServerProtocol, serverProtocolInfo, serverProtocols } from '../servers/server-protocols.js';
import { UsageError } from './usage-error.js';

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** Strict parsing: unknown flags and missing values are usage errors, reported together. */
export function parseOptions<T extends OptionSpecs>(
  argv: readonly string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError([error instanceof Error ? error.message : String(error)]);
  }
}

/** Reads a whole number in a range, or records why not. */
export function integerOption(
  name: string,
  value: string | undefined,
  fallback: number,
  range: { min: number; max: number },
  problems: string[],
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < range.min || Number(value) > range.max) {
    problems.push(`--${name} must be a whole number from ${range.min} to ${range.max}, not "${value}"`);
    return fallback;
  }
  return Number(value);
}

export function choiceOption<C extends string>(
  name: string,
  value: string | undefined,
  choices: readonly C[],
  fallback: C,
  problems: string[],
): C {
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as C;
  problems.push(`--${name} must be one of ${choices.join(', ')}, not "${value}"`);
  return fallback;
}

export function numberOption(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  problems: string[],
): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < min) {
    problems.push(`--${name} must be a number >= ${min}, not "${value}"`);
    return fallback;
  }
  return parsed;
}

/** Where the servers are: `serve` binds there, the other commands connect there. */
export const addressOptions = {
  host: { type: 'string', default: '127.0.0.1', value: 'HOST', description: "the servers' address" },
  ...(Object.fromEntries(
    serverProtocols.map((protocol) => {
      const { portOption, defaultPort, title } = serverProtocolInfo[protocol];
      const option = {
        type: 'string',
        value: 'N',
        defaultText: String(defaultPort),
        description: `${title} port`,
      };
      return [portOption, option];
    }),
  ) as Record<`${string}-port`, { type: 'string'; value: string; defaultText: string; description: string }>),
} as const;

export interface Address {
  readonly host: string;
  readonly grpcPort: number;
  readonly restPort: number;
  /** Every server's port, by protocol. */
  readonly ports: Readonly<Record<ServerProtocol, number>>;
}

export function readAddress(values: Readonly<Record<string, unknown>>, problems: string[]): Address {
  const range = { min: 0, max: 65_535 };
  const ports = Object.fromEntries(
    serverProtocols.map((protocol) => {
      const { portOption, defaultPort } = serverProtocolInfo[protocol];
      const value = values[portOption];
      return [
        protocol,
        integerOption(
          portOption,
          typeof value === 'string' ? value : undefined,
          defaultPort,
          range,
          problems,
        ),
      ];
    }),
  ) as Record<ServerProtocol, number>;
  return {
    host: typeof values.host === 'string' ? values.host : '127.0.0.1',
    grpcPort: ports.grpc,
    restPort: ports.rest,
    ports,
  };
}
