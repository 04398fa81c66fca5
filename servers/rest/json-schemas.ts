/**
 * JSON schemas for the REST bodies, in the canonical proto3 JSON mapping
 * (lowerCamel names, bytes as base64, enums by name or number). They are strict:
 * unknown properties and wrong types are errors, never coerced or dropped.
 * A test checks them against speech.proto field by field.
 */
const base64 = { type: 'string', pattern: '^[A-Za-z0-9+/_-]*={0,2}$' } as const;
const stringList = { type: 'array', items: { type: 'string' } } as const;
const int32 = { type: 'integer', minimum: -2147483648, maximum: 2147483647 } as const;

export const audioEncodingNames = ['AUDIO_ENCODING_UNSPECIFIED', 'LINEAR16', 'WAV'] as const;

const recognitionConfig = {
  type: 'object',
  additionalProperties: false,
  properties: {
    encoding: {
      anyOf: [
        { type: 'string', enum: audioEncodingNames },
        { type: 'integer', minimum: 0, maximum: 2 },
      ],
    },
    sampleRateHertz: int32,
    languageCode: { type: 'string' },
  },
} as const;

export const classifyRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    text: { type: 'string' },
    candidateLabels: stringList,
    multiLabel: { type: 'boolean' },
    hypothesisTemplate: { type: 'string' },
  },
} as const;

export const transcribeRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { audio: base64, config: recognitionConfig },
} as const;

export const transcribeAndClassifyRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    audio: base64,
    config: recognitionConfig,
    candidateLabels: stringList,
    multiLabel: { type: 'boolean' },
    hypothesisTemplate: { type: 'string' },
  },
} as const;

const digits = { type: 'string', pattern: '^[0-9]{1,9}$' } as const;

/**
 * Query parameters that carry the config when the body is raw audio. Query values
 * are strings: numbers and booleans are parsed explicitly, not coerced.
 */
export const rawAudioQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    encoding: { type: 'string', enum: audioEncodingNames },
    sampleRateHertz: digits,
    languageCode: { type: 'string' },
    candidateLabels: { anyOf: [{ type: 'string' }, stringList] },
    multiLabel: { type: 'string', enum: ['true', 'false'] },
    hypothesisTemplate: { type: 'string' },
  },
} as const;

export interface RawAudioQuery {
  encoding?: (typeof audioEncodingNames)[number];
  sampleRateHertz?: string;
  languageCode?: string;
  candidateLabels?: string | string[];
  multiLabel?: 'true' | 'false';
  hypothesisTemplate?: string;
}
