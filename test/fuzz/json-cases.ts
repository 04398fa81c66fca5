/**
 * Hostile JSON bodies generated with fast-check from one seed: wrong types for every
 * field, prototype-pollution keys, deep nesting, byte-mutated valid bodies, arbitrary
 * JSON and text that is not JSON at all.
 */
import fc from 'fast-check';

export interface JsonCase {
  readonly kind: string;
  readonly body: string;
}

const fieldNames = ['text', 'candidateLabels', 'multiLabel', 'hypothesisTemplate', 'audio', 'config'];
const pollutionKeys = [
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  'hasOwnProperty',
  'toString',
];

const anyJsonValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 3 }),
);

/** Every field with a value of any type: strict validation must refuse all but the right ones. */
const wrongTypes = fc
  .dictionary(fc.constantFrom(...fieldNames), anyJsonValue, { maxKeys: 5 })
  .map((object): JsonCase => ({ kind: 'wrong-types', body: JSON.stringify(object) }));

/** A valid classify body with a pollution key spliced in, at the top or inside a nested object. */
const pollution = fc
  .tuple(
    fc.constantFrom(...pollutionKeys),
    anyJsonValue,
    fc.boolean(),
    fc.constantFrom('classify', 'transcribe'),
  )
  .map(([key, value, nested, route]): JsonCase => {
    const member = `${JSON.stringify(key)}:${JSON.stringify({ polluted: value })}`;
    if (route === 'transcribe')
      return { kind: 'pollution', body: `{"audio":"UklGRg==","config":{${member}}}` };
    const body = nested
      ? `{"text":"hi","candidateLabels":["a"],"constructor":{"prototype":{${member}}}}`
      : `{"text":"hi","candidateLabels":["a"],${member}}`;
    return { kind: 'pollution', body };
  });

/** Arrays or objects nested up to 20,000 deep, closed or not. */
const deepNesting = fc
  .tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"text":'), fc.boolean())
  .map(([depth, open, closed]): JsonCase => {
    const close = open === '[' ? ']' : '}';
    return { kind: 'deep-nesting', body: open.repeat(depth) + (closed ? `1${close.repeat(depth)}` : '') };
  });

const arbitraryJson = fc.json({ maxDepth: 4 }).map((body): JsonCase => ({ kind: 'arbitrary-json', body }));

const notJson = fc
  .oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-ascii' }))
  .map((body): JsonCase => ({ kind: 'not-json', body }));

/** A valid body with a few bytes replaced, removed or inserted. */
function mutatedValid(valid: string) {
  return fc
    .array(
      fc.tuple(fc.nat({ max: valid.length }), fc.nat({ max: 2 }), fc.string({ minLength: 1, maxLength: 3 })),
      {
        minLength: 1,
        maxLength: 4,
      },
    )
    .map((edits): JsonCase => {
      let body = valid;
      for (const [at, op, text] of edits) {
        if (op === 0) body = body.slice(0, at) + text + body.slice(at + 1);
        else if (op === 1) body = body.slice(0, at) + body.slice(at + text.length);
        else body = body.slice(0, at) + text + body.slice(at);
      }
      return { kind: 'mutated-valid', body };
    });
}

export function jsonCases(validClassifyJson: string, seed: number, count: number): JsonCase[] {
  const arbitrary = fc.oneof(
    { arbitrary: wrongTypes, weight: 3 },
    { arbitrary: pollution, weight: 2 },
    { arbitrary: deepNesting, weight: 1 },
    { arbitrary: arbitraryJson, weight: 1 },
    { arbitrary: notJson, weight: 1 },
    { arbitrary: mutatedValid(validClassifyJson), weight: 3 },
  );
  return fc.sample(arbitrary, { seed, numRuns: count });
}
