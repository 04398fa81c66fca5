import { type ParseArgsConfig, parseArgs } from 'node:util';
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

export const addressOptions = {
  host: { type: 'string', default: '127.0.0.1' },
  'grpc-port': { type: 'string' },
  'rest-port': { type: 'string' },
} as const;

export interface Address {
  readonly host: string;
  readonly grpcPort: number;
  readonly restPort: number;
}

export function readAddress(
  values: { host?: string; 'grpc-port'?: string; 'rest-port'?: string },
  problems: string[],
): Address {
  const port = { min: 0, max: 65_535 };
  return {
    host: values.host ?? '127.0.0.1',
    grpcPort: integerOption('grpc-port', values['grpc-port'], 50_051, port, problems),
    restPort: integerOption('rest-port', values['rest-port'], 8_080, port, problems),
  };
}
