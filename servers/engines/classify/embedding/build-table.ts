import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  DEFAULT_CACHE_DIR,
  DEFAULT_VOCABULARY_SIZE,
  type FileDigest,
  META_FILE,
  parseTableMeta,
  SOURCE_PACKAGE,
  TABLE_FORMAT_VERSION,
  type TableMeta,
  VECTORS_FILE,
  WORDS_FILE,
} from './table-format.js';
import { readWinkRows } from './wink-reader.js';

/**
 * Converts the embeddings package into the compact table that `loadEmbeddingTable` reads,
 * once: later calls only check that the cache still matches its source.
 */

export interface TableSource {
  readonly file: string;
  readonly version: string;
}

export interface BuildOptions {
  readonly source: TableSource;
  readonly cacheDir: string;
  readonly vocabularySize: number;
}

export function installedSource(): TableSource {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve(`${SOURCE_PACKAGE}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: unknown; main?: unknown };
  if (typeof manifest.version !== 'string' || typeof manifest.main !== 'string') {
    throw new Error(`${manifestPath} has no version or main`);
  }
  return { file: path.resolve(path.dirname(manifestPath), manifest.main), version: manifest.version };
}

function digest(name: string, data: Uint8Array): FileDigest {
  return { name, bytes: data.byteLength, sha256: createHash('sha256').update(data).digest('hex') };
}

function fileMatches(dir: string, expected: FileDigest): boolean {
  const file = path.join(dir, expected.name);
  if (!existsSync(file) || statSync(file).size !== expected.bytes) return false;
  return digest(expected.name, readFileSync(file)).sha256 === expected.sha256;
}

/** True when the cache was built by this code from this very source and its files are intact. */
export function isTableCurrent(options: BuildOptions): boolean {
  const metaPath = path.join(options.cacheDir, META_FILE);
  if (!existsSync(metaPath)) return false;
  const meta = parseTableMeta(readFileSync(metaPath, 'utf8'));
  if (meta === undefined) return false;
  return (
    meta.source.package === SOURCE_PACKAGE &&
    meta.source.version === options.source.version &&
    meta.source.bytes === statSync(options.source.file).size &&
    meta.vocabularyLimit === options.vocabularySize &&
    fileMatches(options.cacheDir, meta.vectors) &&
    fileMatches(options.cacheDir, meta.words)
  );
}

/** Unit length makes every later similarity a plain dot product; zero rows stay zero. */
function toUnitLengthLittleEndian(raw: Float32Array, dimensions: number): Buffer {
  const out = Buffer.alloc(raw.length * 4);
  for (let row = 0; row < raw.length; row += dimensions) {
    let sum = 0;
    for (let d = 0; d < dimensions; d++) sum += raw[row + d]! ** 2;
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let d = 0; d < dimensions; d++) out.writeFloatLE(raw[row + d]! * scale, (row + d) * 4);
  }
  return out;
}

/** Writes beside the target and renames, so a reader (or a concurrent build) never sees half a file. */
function writeAtomically(file: string, data: Uint8Array | string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, file);
}

export async function buildEmbeddingTable(options: BuildOptions): Promise<TableMeta> {
  const rows = await readWinkRows(options.source.file, options.vocabularySize);
  const vectors = toUnitLengthLittleEndian(rows.vectors, rows.dimensions);
  const words = `${JSON.stringify(rows.words)}\n`;
  const meta: TableMeta = {
    format: TABLE_FORMAT_VERSION,
    source: {
      package: SOURCE_PACKAGE,
      version: options.source.version,
      bytes: statSync(options.source.file).size,
    },
    vocabularyLimit: options.vocabularySize,
    vocabularySize: rows.words.length,
    dimensions: rows.dimensions,
    unitLength: true,
    byteOrder: 'little-endian',
    order: 'frequency',
    vectors: digest(VECTORS_FILE, vectors),
    words: digest(WORDS_FILE, Buffer.from(words, 'utf8')),
  };
  mkdirSync(options.cacheDir, { recursive: true });
  // Meta last: until it is renamed into place an older meta (or none) fails the digest check.
  writeAtomically(path.join(options.cacheDir, VECTORS_FILE), vectors);
  writeAtomically(path.join(options.cacheDir, WORDS_FILE), words);
  writeAtomically(path.join(options.cacheDir, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}

const pending = new Map<string, Promise<string>>();

/**
 * Builds the table into `cacheDir` unless an up-to-date one is already there; resolves to
 * the directory. Concurrent calls in one process share a build; builds in separate
 * processes produce identical bytes, so racing them is harmless.
 */
export function ensureEmbeddingTable(cacheDir: string = DEFAULT_CACHE_DIR): Promise<string> {
  const dir = path.resolve(cacheDir);
  let promise = pending.get(dir);
  if (promise === undefined) {
    promise = (async () => {
      const options = { source: installedSource(), cacheDir: dir, vocabularySize: DEFAULT_VOCABULARY_SIZE };
      if (!isTableCurrent(options)) await buildEmbeddingTable(options);
      return dir;
    })();
    pending.set(dir, promise);
    // Forget the promise once settled, so a later call re-checks the cache (it may have been deleted).
    const forget = () => pending.delete(dir);
    promise.then(forget, forget);
  }
  return promise;
}
