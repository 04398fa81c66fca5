import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWinkRows } from './wink-reader.js';

const dir = mkdtempSync(path.join(tmpdir(), 'wink-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Words chosen to trip a naive scanner: quotes, brackets, braces, escapes, non-BMP characters. */
const WORDS = ['the', '"', ']', '}', 'café', 'a\\b', '😀x', 'zero'];

function vectorsFor(words: readonly string[]): Record<string, number[]> {
  return Object.fromEntries(words.map((w, i) => [w, [i + 0.5, -i, i === 7 ? 0 : 1, 9.9, i]]));
}

function writeSource(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, body);
  return file;
}

function source(words: readonly string[], vectors: Record<string, number[]>): string {
  return `{"precision":8, "l2NormIndex":3,"wordIndex":4,"size":${words.length},"dimensions":3,
    "words":${JSON.stringify(words)},"vectors":${JSON.stringify(vectors)},"unkVector":[0,0,0,0,-1]}`;
}

describe('readWinkRows', () => {
  const file = writeSource('ok.json', source(WORDS, vectorsFor(WORDS)));

  it.each([3, 7, 64, 1 << 20])(
    'reads words and vectors whatever the chunk size (%i bytes)',
    async (chunk) => {
      const rows = await readWinkRows(file, 100, chunk);
      expect(rows.dimensions).toBe(3);
      expect(rows.words).toEqual(WORDS);
      expect(Array.from(rows.vectors.subarray(3, 6))).toEqual([1.5, -1, 1]);
      expect(Array.from(rows.vectors.subarray(21, 24))).toEqual([7.5, -7, 0]);
    },
  );

  it('keeps only the first `limit` words and stops once their vectors are read', async () => {
    const full = source(WORDS, vectorsFor(WORDS));
    // Cut the file off inside the vector of the fourth word: rows 0-2 are all that is needed.
    const truncated = writeSource('truncated.json', full.slice(0, full.indexOf('"}":[') + 3));
    const rows = await readWinkRows(truncated, 3, 5);
    expect(rows.words).toEqual(WORDS.slice(0, 3));
    expect(rows.vectors).toHaveLength(9);
    await expect(readWinkRows(truncated, 5, 5)).rejects.toThrow(/unexpected end/);
  });

  it('rejects vectors that disagree with the word list', async () => {
    const vectors = vectorsFor(WORDS);
    vectors.the = [1, 2, 3, 4, 5];
    const bad = writeSource('mismatch.json', source(WORDS, vectors));
    await expect(readWinkRows(bad, 100)).rejects.toThrow(/row 5/);
  });

  it('rejects words without vectors and unexpected layouts', async () => {
    const missing = writeSource('missing.json', source(WORDS, vectorsFor(WORDS.slice(0, 4))));
    await expect(readWinkRows(missing, 100)).rejects.toThrow(/have no vector/);
    const early = writeSource('early.json', '{"dimensions":3,"wordIndex":4,"vectors":{},"words":[]}');
    await expect(readWinkRows(early, 100)).rejects.toThrow(/precedes/);
    const noHeader = writeSource('no-header.json', '{"words":["a"],"vectors":{"a":[1,2,3,4,0]}}');
    await expect(readWinkRows(noHeader, 100)).rejects.toThrow(/dimensions/);
  });
});
