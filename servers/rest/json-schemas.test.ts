import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import {
  classifyRequestSchema,
  transcribeAndClassifyRequestSchema,
  transcribeRequestSchema,
} from './json-schemas.js';

const root = protobuf.loadSync(fileURLToPath(new URL('../../proto/speech/v1/speech.proto', import.meta.url)));

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  pattern?: string;
};

/** The JSON type the canonical proto3 mapping gives a field. */
function expectedJsonType(field: protobuf.Field): string {
  if (field.repeated) return 'array';
  switch (field.type) {
    case 'string':
    case 'bytes':
      return 'string';
    case 'bool':
      return 'boolean';
    case 'int32':
    case 'uint32':
    case 'sint32':
      return 'integer';
    case 'double':
    case 'float':
      return 'number';
  }
  field.resolve();
  if (field.resolvedType instanceof protobuf.Enum) return 'enum';
  return 'object';
}

function checkAgainst(type: protobuf.Type, schema: Schema, path: string): string[] {
  const problems: string[] = [];
  const properties = schema.properties ?? {};
  const fields = new Map(type.fieldsArray.map((field) => [field.name, field]));
  for (const [name, field] of fields) {
    const property = properties[name];
    if (!property) {
      problems.push(`${path}.${name} is in the proto but not in the schema`);
      continue;
    }
    const expected = expectedJsonType(field);
    if (expected === 'enum') {
      if (!property.anyOf) problems.push(`${path}.${name} should accept enum names and numbers`);
    } else if (property.type !== expected) {
      problems.push(`${path}.${name} is ${property.type} in the schema, ${expected} in the proto`);
    }
    if (field.type === 'bytes' && !property.pattern) problems.push(`${path}.${name} should check base64`);
    if (expected === 'object')
      problems.push(...checkAgainst(field.resolvedType as protobuf.Type, property, `${path}.${name}`));
  }
  for (const name of Object.keys(properties)) {
    if (!fields.has(name)) problems.push(`${path}.${name} is in the schema but not in the proto`);
  }
  return problems;
}

describe('REST JSON schemas', () => {
  it.each([
    ['ClassifyRequest', classifyRequestSchema],
    ['TranscribeRequest', transcribeRequestSchema],
    ['TranscribeAndClassifyRequest', transcribeAndClassifyRequestSchema],
  ])('%s matches speech.proto field by field', (name, schema) => {
    const type = root.lookupType(`speech.v1.${name}`);
    expect(checkAgainst(type, schema as Schema, name)).toEqual([]);
  });
});
