import { readFileSync } from 'node:fs';
import { ApiKeys, fingerprintOf, parseApiKeys } from '../servers/core/api-keys.js';
import type { RequestGateOptions } from '../servers/core/request-gate.js';
import { integerOption, numberOption } from './parse-options.js';

/** `serve`'s request-level options: auth, rate limits, quota, load shedding, price, logging. */
export const gateOptionSpecs = {
  'api-key': {
    type: 'string',
    multiple: true,
    value: 'KEY',
    description: 'require this API key (at least 8 characters); clients send "authorization: Bearer KEY"',
  },
  'api-keys': {
    type: 'string',
    value: 'FILE',
    defaultText: 'no auth',
    description: 'require an API key: one a line, KEY or NAME KEY (# comments)',
  },
  'rate-limit': {
    type: 'string',
    value: 'R',
    defaultText: 'no limit',
    description: 'requests per second per key (token bucket)',
  },
  burst: {
    type: 'string',
    value: 'N',
    defaultText: 'R, at least 1',
    description: 'requests a key may send at once above the rate',
  },
  'audio-quota': {
    type: 'string',
    value: 'S',
    defaultText: 'no quota',
    description: 'seconds of audio per key per minute',
  },
  'max-in-flight': {
    type: 'string',
    value: 'N',
    defaultText: 'no limit',
    description: 'refuse requests past N in flight with UNAVAILABLE / 503',
  },
  'max-event-loop-delay-ms': {
    type: 'string',
    value: 'MS',
    defaultText: 'off',
    description: 'refuse requests while the event loop lags more than MS',
  },
  'price-per-audio-minute': {
    type: 'string',
    value: 'P',
    defaultText: '0',
    description: 'for the cost in GET /v1/usage and the Usage RPC',
  },
  'log-requests': {
    type: 'boolean',
    default: false,
    description: 'one JSON line per request on stderr (key name, outcome, audio, bytes)',
  },
  'log-payloads': {
    type: 'boolean',
    default: false,
    description: "the same with each answer's transcript and label (never audio or keys)",
  },
} as const;

interface GateValues {
  readonly 'api-key'?: string[] | undefined;
  readonly 'api-keys'?: string | undefined;
  readonly 'rate-limit'?: string | undefined;
  readonly burst?: string | undefined;
  readonly 'audio-quota'?: string | undefined;
  readonly 'max-in-flight'?: string | undefined;
  readonly 'max-event-loop-delay-ms'?: string | undefined;
  readonly 'price-per-audio-minute'?: string | undefined;
  readonly 'log-requests'?: boolean | undefined;
  readonly 'log-payloads'?: boolean | undefined;
}

function positiveNumber(name: string, value: string | undefined, problems: string[]): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0) {
    problems.push(`--${name} must be a number above 0, not "${value}"`);
    return undefined;
  }
  return parsed;
}

function readKeys(values: GateValues, problems: string[]): ApiKeys | undefined {
  const keys: { id: string; key: string }[] = [];
  if (values['api-keys'] !== undefined) {
    const file = values['api-keys'];
    try {
      keys.push(...parseApiKeys(readFileSync(file, 'utf8'), file));
    } catch (error) {
      problems.push(`--api-keys: ${(error as Error).message}`);
    }
  }
  for (const key of values['api-key'] ?? []) {
    if (key.length < 8 || /\s/.test(key))
      problems.push('--api-key needs at least 8 characters and no spaces');
    else keys.push({ id: fingerprintOf(key), key });
  }
  return keys.length > 0 ? new ApiKeys(keys) : undefined;
}

/** The gate's options, or the problems found (all of them). */
export function readGateOptions(values: GateValues, problems: string[]): RequestGateOptions {
  const apiKeys = readKeys(values, problems);
  const requestsPerSecond = positiveNumber('rate-limit', values['rate-limit'], problems);
  const audioSecondsPerMinute = positiveNumber('audio-quota', values['audio-quota'], problems);
  const burst =
    values.burst === undefined
      ? undefined
      : integerOption('burst', values.burst, 1, { min: 1, max: 1_000_000 }, problems);
  if (burst !== undefined && requestsPerSecond === undefined) problems.push('--burst needs --rate-limit');
  const maxInFlight =
    values['max-in-flight'] === undefined
      ? undefined
      : integerOption('max-in-flight', values['max-in-flight'], 1, { min: 1, max: 1_000_000 }, problems);
  const maxEventLoopDelayMs = positiveNumber(
    'max-event-loop-delay-ms',
    values['max-event-loop-delay-ms'],
    problems,
  );
  const price = numberOption('price-per-audio-minute', values['price-per-audio-minute'], 0, 0, problems);
  const logPayloads = values['log-payloads'] === true;
  const logRequests = logPayloads || values['log-requests'] === true;
  return {
    ...(apiKeys ? { apiKeys } : {}),
    rateLimits: {
      ...(requestsPerSecond === undefined ? {} : { requestsPerSecond }),
      ...(burst === undefined ? {} : { burst }),
      ...(audioSecondsPerMinute === undefined ? {} : { audioSecondsPerMinute }),
    },
    loadShedding: {
      ...(maxInFlight === undefined ? {} : { maxInFlight }),
      ...(maxEventLoopDelayMs === undefined ? {} : { maxEventLoopDelayMs }),
    },
    pricePerAudioMinute: price,
    ...(logRequests
      ? { log: { write: (line: string) => process.stderr.write(line), payloads: logPayloads } }
      : {}),
  };
}
