/**
 * The JSON schema of a suite file (JSON or YAML). Strict: unknown keys are errors,
 * and every problem is reported at once.
 */
const duration = {
  anyOf: [
    { type: 'string', pattern: '^\\d+(\\.\\d+)?(ms|s|m)$' },
    { type: 'number', minimum: 0 },
  ],
} as const;

export const variantNames = [
  'grpc',
  'grpc-connect',
  'rest-json-h1',
  'rest-json-h2',
  'rest-proto-h1',
  'rest-binary-h1',
] as const;
export const rpcNames = [
  'classify',
  'transcribe',
  'transcribe-and-classify',
  'streaming-transcribe',
] as const;
export const payloadNames = ['command', 'short3s', 'long'] as const;
export const familyNames = ['transport', 'client'] as const;

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

export const suiteSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'scenarios'],
  properties: {
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    stt: { enum: ['auto', 'sphinx', 'reference'] },
    realTimeFactor: { type: 'number', minimum: 0 },
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
