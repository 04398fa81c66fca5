import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildOptions, buildEmbeddingTable, isTableCurrent } from './build-table.js';
import { loadEmbeddingTable } from './table.js';
import { META_FILE, VECTORS_FILE } from './table-format.js';

const dir = mkdtempSync(path.join(tmpdir(), 'build-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WORDS = ['the', 'of', 'music', 'silence', 'rare'];
const RAW: Record<string, number[]> = {
  the: [3, 4, 0],
  of: [0, 0, 2],
  music: [1, 1, 1],
  silence: [0, 0, 0],
  rare: [5, 5, 5],
};

function options(overrides: Partial<BuildOptions> = {}): BuildOptions {
  return {
    source: { file: path.join(dir, 'source.json'), version: '1.0.0' },
    cacheDir: path.join(dir, 'cache'),
    vocabularySize: 4,
    ...overrides,
  };
}

beforeAll(() => {
  const vectors = Object.fromEntries(WORDS.map((w, i) => [w, [...RAW[w]!, 1, i]]));
  writeFileSync(
    options().source.file,
    JSON.stringify({ wordIndex: 4, dimensions: 3, words: WORDS, vectors }),
  );
});

describe('buildEmbeddingTable', () => {
  it('writes the most frequent words as unit-length little-endian rows', async () => {
    expect(isTableCurrent(options())).toBe(false);
    const meta = await buildEmbeddingTable(options());
    expect(meta).toMatchObject({
      vocabularySize: 4,
      vocabularyLimit: 4,
      dimensions: 3,
      source: { version: '1.0.0' },
    });
    const table = loadEmbeddingTable(options().cacheDir);
    expect(table.words).toEqual(WORDS.slice(0, 4));
    expect(table.rows.get('music')).toBe(2);
    expect(table.rows.has('rare')).toBe(false);
    expect(Array.from(table.vectors.subarray(0, 3))).toEqual([0.6000000238418579, 0.800000011920929, 0]);
    expect(table.vectors[5]).toBe(1);
    // An all-zero source vector stays zero rather than becoming NaN.
    expect(Array.from(table.vectors.subarray(9, 12))).toEqual([0, 0, 0]);
    const bytes = readFileSync(path.join(options().cacheDir, VECTORS_FILE));
    expect(bytes.readFloatLE(4)).toBeCloseTo(0.8, 6);
  });

  it('is current until the source, the limit or the files change', async () => {
    await buildEmbeddingTable(options());
    expect(isTableCurrent(options())).toBe(true);
    expect(isTableCurrent(options({ source: { ...options().source, version: '1.0.1' } }))).toBe(false);
    expect(isTableCurrent(options({ vocabularySize: 5 }))).toBe(false);

    const vectorsPath = path.join(options().cacheDir, VECTORS_FILE);
    const bytes = readFileSync(vectorsPath);
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    writeFileSync(vectorsPath, bytes);
    expect(isTableCurrent(options())).toBe(false);

    await buildEmbeddingTable(options());
    expect(isTableCurrent(options())).toBe(true);
    writeFileSync(path.join(options().cacheDir, META_FILE), '{"format": 0}');
    expect(isTableCurrent(options())).toBe(false);
    expect(() => loadEmbeddingTable(options().cacheDir)).toThrow(/unknown format/);
  });

  it('explains how to build a missing table', () => {
    expect(() => loadEmbeddingTable(path.join(dir, 'nowhere'))).toThrow(/npm run build:embeddings/);
  });
});
