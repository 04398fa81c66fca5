import { existsSync, readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import path from 'node:path';
import { DEFAULT_CACHE_DIR, META_FILE, parseTableMeta } from './table-format.js';

/** Unit-length word vectors, row i being the i-th most frequent word. Read-only by convention. */
export interface EmbeddingTable {
  readonly dimensions: number;
  readonly size: number;
  /** `size * dimensions` values, row-major. */
  readonly vectors: Float32Array;
  readonly words: readonly string[];
  /** Word -> row; the row is also the word's frequency rank (0 = most frequent). */
  readonly rows: ReadonlyMap<string, number>;
}

function fail(dir: string, problem: string): never {
  throw new Error(`embedding table in ${dir} ${problem}; run \`npm run build:embeddings\``);
}

function floatsFrom(bytes: Buffer): Float32Array {
  // A view is free, but needs the host's byte order and 4-byte alignment; otherwise decode.
  if (endianness() === 'LE' && bytes.byteOffset % 4 === 0) {
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  }
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

function parseWords(text: string): string[] | undefined {
  const words: unknown = JSON.parse(text);
  return Array.isArray(words) && words.every((w) => typeof w === 'string') ? words : undefined;
}

/**
 * Loads a table written by `ensureEmbeddingTable`. Sizes are checked but digests are not:
 * hashing 40 MB would double the load time, and the builder already verified them.
 */
export function loadEmbeddingTable(dir: string = DEFAULT_CACHE_DIR): EmbeddingTable {
  const metaPath = path.join(dir, META_FILE);
  if (!existsSync(metaPath)) fail(dir, 'is missing');
  const meta = parseTableMeta(readFileSync(metaPath, 'utf8'));
  if (meta === undefined) fail(dir, 'has an unknown format');
  const { dimensions, vocabularySize: size } = meta;
  const bytes = readFileSync(path.join(dir, meta.vectors.name));
  if (bytes.byteLength !== meta.vectors.bytes || bytes.byteLength !== size * dimensions * 4) {
    fail(dir, 'has a truncated vector file');
  }
  const words = parseWords(readFileSync(path.join(dir, meta.words.name), 'utf8'));
  if (words?.length !== size) fail(dir, 'has a bad word list');
  const rows = new Map<string, number>();
  // Keeps the first (more frequent) row should the source ever repeat a word.
  words.forEach((word, i) => {
    if (!rows.has(word)) rows.set(word, i);
  });
  return { dimensions, size, vectors: floatsFrom(bytes), words, rows };
}
