/**
 * The acceptance check of `sizes`: its numbers against messages encoded by other
 * means. protobufjs encodes the same objects by reflection over the .proto; the
 * JSON is JSON.stringify of the proto3 JSON form built here from that reflection,
 * not by ts-proto's toJSON.
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { buildCorpusCases } from './corpus-cases.js';
import { formatSizes } from './format-sizes.js';
import { runSizes } from './run-sizes.js';

const root = protobuf.loadSync(fileURLToPath(new URL('../../proto/speech/v1/speech.proto', import.meta.url)));

type JsonValue = string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

function isDefault(field: protobuf.Field, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (field.resolvedType instanceof protobuf.Type) return false;
  if (value instanceof Uint8Array) return value.length === 0;
  return value === '' || value === 0 || value === false;
}

function scalarToJson(field: protobuf.Field, value: unknown): JsonValue {
  if (field.resolvedType instanceof protobuf.Type) return toProto3Json(field.resolvedType, value as object);
  if (field.resolvedType instanceof protobuf.Enum) return field.resolvedType.valuesById[value as number]!;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new Error(`${field.fullName}: unexpected ${typeof value}`);
}

/**
 * The canonical proto3 JSON mapping for the field types the corpus messages use:
 * lowerCamel names, defaults left out, bytes as base64, enums by name.
 */
function toProto3Json(type: protobuf.Type, message: object): { [key: string]: JsonValue } {
  const values = message as Record<string, unknown>;
  const json: { [key: string]: JsonValue } = {};
  for (const field of [...type.fieldsArray].sort((a, b) => a.id - b.id)) {
    const value = values[field.name];
    if (field.repeated) {
      const list = (value ?? []) as unknown[];
      if (list.length > 0) json[field.name] = list.map((item) => scalarToJson(field, item));
    } else if (!isDefault(field, value)) {
      json[field.name] = scalarToJson(field, value);
    }
  }
  return json;
}

const cases = await buildCorpusCases();
// Sizes do not depend on timing: a token budget keeps the test quick.
const report = await runSizes({
  cases,
  timing: { warmupMs: 1, budgetMs: 1, batchNs: 0, minRounds: 3, maxRounds: 3 },
});
const rows = report.messages.map((m, i) => [`${m.direction} ${m.id}`, m, cases[i]!] as const);

describe('sizes', () => {
  it('covers every message type of the corpus', () => {
    expect(report.messages.map((m) => m.type)).toEqual(
      expect.arrayContaining([
        'speech.v1.ClassifyRequest',
        'speech.v1.TranscribeRequest',
        'speech.v1.TranscribeAndClassifyRequest',
        'speech.v1.ClassifyResponse',
        'speech.v1.TranscribeResponse',
        'speech.v1.TranscribeAndClassifyResponse',
      ]),
    );
    const responses = report.messages.filter((m) => m.direction === 'response');
    expect(responses.every((m) => m.sizes.protobuf > 0)).toBe(true);
  });

  it.each(rows)('%s: protobuf bytes equal protobufjs reflection encoding the same object', (_, m, c) => {
    const type = root.lookupType(m.type);
    const independent = type.encode(type.fromObject(toProto3Json(type, c.message))).finish();
    expect(Buffer.from(c.encodeProtobuf()).equals(Buffer.from(independent))).toBe(true);
    expect(m.sizes.protobuf).toBe(independent.length);
    expect(m.sizes.gzipProtobuf).toBe(gzipSync(independent, { level: 6 }).length);
  });

  it.each(rows)('%s: JSON bytes equal JSON.stringify of the same object', (_, m, c) => {
    const text = JSON.stringify(toProto3Json(root.lookupType(m.type), c.message));
    expect(c.encodeJson()).toBe(text);
    expect(m.sizes.json).toBe(Buffer.byteLength(text));
    expect(m.sizes.gzipJson).toBe(gzipSync(text, { level: 6 }).length);
  });

  it.each(rows)('%s: savings and verdict follow from the sizes', (_, m) => {
    expect(m.sizes.protobufSaving).toBeCloseTo(1 - m.sizes.protobuf / m.sizes.json, 12);
    expect(m.sizes.gzipProtobufSaving).toBeCloseTo(1 - m.sizes.gzipProtobuf / m.sizes.gzipJson, 12);
    expect(m.verdict.holds).toBe(m.sizes.protobufSaving >= 0.3);
    for (const t of [m.timings.encode, m.timings.decode]) {
      expect(t.protobufNs).toBeGreaterThan(0);
      expect(t.jsonOverProtobuf).toBeCloseTo(t.jsonNs / t.protobufNs, 12);
    }
  });

  it('finds base64 audio costs JSON a third more: the 30% never holds for audio', () => {
    for (const m of report.messages.filter((r) => r.payload === 'audio bytes')) {
      expect(m.sizes.json / m.sizes.protobuf).toBeCloseTo(4 / 3, 2);
      expect(m.verdict.holds).toBe(false);
    }
  });

  it('prints the environment first, then a row per message and the notes', () => {
    const text = formatSizes(report);
    expect(text.split('\n')[0]).toMatch(/^node v\d+\.\d+\.\d+ · .+ · \d+ cores/);
    for (const m of report.messages) {
      const name = `${m.direction === 'request' ? 'req' : 'res'} ${m.id}`;
      expect(text).toContain(`${name} `);
      expect(text).toContain(m.sizes.json.toLocaleString('en-US'));
    }
    // Notes are wrapped for the terminal: compare them with the line breaks undone.
    for (const note of report.notes) expect(text.replace(/\n {2}/g, ' ')).toContain(`- ${note}`);
    expect(report.notes.find((n) => n.startsWith('audio bytes'))).toMatch(/the 30% does not hold/);
  });
});
