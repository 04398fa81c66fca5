/**
 * The JSON schema of a suite file (JSON or YAML). Strict: unknown keys are errors,
 * and every problem is reported at once.
 */
import { classifierChoices } from '../../servers/engines/classify/classifier-choices.js';
import { tuningNames } from '../../servers/tuning.js';
import { audioSizes, textSizes } from '../corpus/sized-payloads.js';
import { networkSchema } from '../network/parse-network.js';
import { durationSchema } from './duration.js';

const duration = durationSchema;

export const variantNames = [
  'grpc',
  'grpc-connect',
  'rest-json-h1',
  'rest-json-h2',
  'rest-proto-h1',
  'rest-binary-h1',
  'connect-json-h1',
  'connect-proto-h1',
  'grpc-web-h1',
] as const;
export const rpcNames = [
  'classify',
  'transcribe',
  'transcribe-and-classify',
  'streaming-transcribe',
] as const;
export const payloadNames = ['command', 'short3s', 'long', 'long30s'] as const;
export const familyNames = ['transport', 'client', 'browser'] as const;

const settings = {
  warmup: duration,
  duration,
  repetitions: { type: 'integer', minimum: 1, maximum: 50 },
  connections: { type: 'integer', minimum: 1, maximum: 1024 },
  concurrency: { type: 'integer', minimum: 1, maximum: 65_536 },
  timeout: duration,
} as const;

const load = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['model'],
      properties: { model: { const: 'closed' } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['model', 'rate'],
      properties: {
        model: { const: 'open' },
        rate: { type: 'number', exclusiveMinimum: 0 },
        maxLate: duration,
      },
    },
  ],
} as const;

/** One fault during a scenario's run (bench/faults); which settings each type takes is checked after. */
const fault = {
  type: 'object',
  additionalProperties: false,
  required: ['at', 'type'],
  properties: {
    at: duration,
    until: duration,
    type: {
      enum: ['latency', 'bandwidth', 'slicer', 'limit_data', 'timeout', 'reset_peer', 'slow_close', 'down'],
    },
    direction: { enum: ['upstream', 'downstream'] },
    latency: duration,
    jitter: duration,
    rate: { type: 'number', exclusiveMinimum: 0 },
    averageSize: { type: 'integer', minimum: 1 },
    sizeVariation: { type: 'integer', minimum: 0 },
    delay: duration,
    bytes: { type: 'integer', minimum: 0 },
    timeout: duration,
  },
} as const;

/** Server tuning (servers/tuning.ts); `both` runs a scenario twice, NAME and NAME-tuned. */
const tuning = { enum: [...tuningNames, 'both'] } as const;

const statusCodeNames = [
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

/** Client family only: how the client libraries retry, keep alive and reconnect (clients/resilience.ts). */
const resilience = {
  type: 'object',
  additionalProperties: false,
  properties: {
    retry: {
      type: 'object',
      additionalProperties: false,
      required: ['maxAttempts'],
      properties: {
        maxAttempts: { type: 'integer', minimum: 2, maximum: 5 },
        initialBackoff: duration,
        maxBackoff: duration,
        backoffMultiplier: { type: 'number', exclusiveMinimum: 0 },
        retryableCodes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: statusCodeNames } },
      },
    },
    keepalive: {
      type: 'object',
      additionalProperties: false,
      required: ['interval'],
      properties: { interval: duration, timeout: duration },
    },
    reconnect: {
      type: 'object',
      additionalProperties: false,
      properties: { initialBackoff: duration, maxBackoff: duration },
    },
  },
} as const;

export const suiteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'scenarios'],
  properties: {
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    stt: { enum: ['auto', 'sphinx', 'reference'] },
    realTimeFactor: { type: 'number', minimum: 0 },
    // Threads of each server process's libuv pool, where the engines run (UV_THREADPOOL_SIZE).
    engineThreads: { type: 'integer', minimum: 1, maximum: 1024 },
    // The servers' zero-shot classifier (serve --classifier); words unless set.
    classifier: { enum: [...classifierChoices] },
    // The network (bench/network) and server tuning of every scenario that sets none of its own.
    network: networkSchema,
    tuning,
    defaults: { type: 'object', additionalProperties: false, properties: settings },
    // Checked after every run, e.g. "classify.grpc.p99 < 20ms", "grpc_over_rest.throughput > 1.0".
    thresholds: { type: 'array', items: { type: 'string', minLength: 1 } },
    scenarios: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'rpc'],
        properties: {
          name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
          rpc: { enum: rpcNames },
          payload: { enum: payloadNames },
          variants: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: variantNames } },
          family: { enum: familyNames },
          load,
          // Per scenario, so that one suite measures the protocol (reference) and a real request (sphinx).
          stt: { enum: ['auto', 'sphinx', 'reference'] },
          // streaming-transcribe only: how the audio is sent, and how many streams a repetition runs.
          pace: { enum: ['realtime', 'asap'] },
          streams: { type: 'integer', minimum: 1, maximum: 10_000 },
          // Over TLS (throwaway CA, server authentication), or both ways: "both" runs the
          // scenario twice, NAME and NAME-tls, so the report shows what TLS costs.
          tls: { enum: [false, true, 'both'] },
          // Faults injected by a proxy between driver and server, on a schedule from the start of the run.
          faults: { type: 'array', maxItems: 32, items: fault },
          // The emulated path between driver and servers for the whole scenario (bench/network).
          network: networkSchema,
          tuning,
          // A message-size sweep: one scenario per size, NAME-SIZE (audio for transcribe and the pipeline, texts for classify).
          sizes: {
            type: 'array',
            minItems: 1,
            uniqueItems: true,
            items: { enum: [...audioSizes, ...textSizes] },
          },
          resilience,
          // Server processes per protocol (`serve --workers`): one scenario per count, NAME-w1, NAME-w2...
          workers: {
            type: 'array',
            minItems: 1,
            uniqueItems: true,
            items: { type: 'integer', minimum: 1, maximum: 64 },
          },
          ...settings,
        },
      },
    },
  },
} as const;
