import { createReadStream } from 'node:fs';

/**
 * Reads the leading rows of a wink embeddings JSON file without parsing all of it.
 *
 * The file is one ~300 MB JSON object: scalar header fields, `words` (every word, most
 * frequent first) and `vectors` (word -> [d0..dn-1, l2 norm, row index]). `JSON.parse`
 * of the whole thing needs about 1 GB and 5 s; this scanner keeps only one chunk of text
 * plus the rows asked for, and stops reading as soon as those rows are complete.
 */

export interface WinkRows {
  readonly dimensions: number;
  /** Words in the source's order (most frequent first), at most `limit` of them. */
  readonly words: string[];
  /** `words.length * dimensions` values, row i belonging to words[i], as stored in the source. */
  readonly vectors: Float32Array;
}

/** Parses one token at `pos`; undefined means the text ended first, so more is needed. */
type Attempt<T> = (text: string, pos: number) => { value: T; end: number } | undefined;

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

function skipWhitespace(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && WHITESPACE.has(text[i]!)) i++;
  return i;
}

/** The next significant character, or undefined when the buffer ends first. */
const peekChar: Attempt<string> = (text, pos) => {
  const i = skipWhitespace(text, pos);
  return i < text.length ? { value: text[i]!, end: i } : undefined;
};

const readString: Attempt<string> = (text, pos) => {
  const start = skipWhitespace(text, pos);
  if (start >= text.length) return undefined;
  if (text[start] !== '"') throw new SyntaxError(`expected a string at offset ${start}`);
  let escaped = false;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      escaped = true;
      i++;
    } else if (c === '"') {
      const raw = text.slice(start, i + 1);
      return { value: escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1), end: i + 1 };
    }
  }
  return undefined;
};

/** Arrays of numbers only: they cannot contain `]`, so the first one closes the array. */
const readNumberArray: Attempt<number[]> = (text, pos) => {
  const start = skipWhitespace(text, pos);
  if (start >= text.length) return undefined;
  if (text[start] !== '[') throw new SyntaxError(`expected an array at offset ${start}`);
  const close = text.indexOf(']', start);
  if (close < 0) return undefined;
  const body = text.slice(start + 1, close).trim();
  const value = body === '' ? [] : body.split(',').map(Number);
  if (value.some((n) => !Number.isFinite(n))) throw new SyntaxError(`non-numeric array at offset ${start}`);
  return { value, end: close + 1 };
};

/** A number or literal; complete only once the delimiter after it has arrived. */
const readScalar: Attempt<unknown> = (text, pos) => {
  const start = skipWhitespace(text, pos);
  let i = start;
  while (i < text.length && !',}]'.includes(text[i]!)) i++;
  if (i >= text.length) return undefined;
  return { value: JSON.parse(text.slice(start, i)), end: i };
};

function punctuation(expected: string): Attempt<string> {
  return (text, pos) => {
    const next = peekChar(text, pos);
    if (next === undefined) return undefined;
    if (!expected.includes(next.value)) {
      throw new SyntaxError(`expected one of '${expected}' at offset ${next.end}, found '${next.value}'`);
    }
    return { value: next.value, end: next.end + 1 };
  };
}

class Cursor {
  private text = '';
  private pos = 0;
  private readonly chunks: AsyncIterator<string>;

  constructor(chunks: AsyncIterable<string>) {
    this.chunks = chunks[Symbol.asyncIterator]();
  }

  /** Runs `attempt`; if a chunk edge cut its token short, appends the next chunk and retries. */
  async read<T>(attempt: Attempt<T>): Promise<T> {
    for (;;) {
      const result = attempt(this.text, this.pos);
      if (result !== undefined) {
        this.pos = result.end;
        return result.value;
      }
      const next = await this.chunks.next();
      if (next.done) throw new SyntaxError('unexpected end of the embeddings file');
      this.text = this.text.slice(this.pos) + next.value;
      this.pos = 0;
    }
  }
}

interface Header {
  dimensions?: number;
  wordIndex?: number;
}

async function readWords(cursor: Cursor, limit: number): Promise<string[]> {
  const words: string[] = [];
  await cursor.read(punctuation('['));
  if ((await cursor.read(peekChar)) === ']') {
    await cursor.read(punctuation(']'));
    return words;
  }
  for (;;) {
    const word = await cursor.read(readString);
    if (words.length < limit) words.push(word);
    if ((await cursor.read(punctuation(',]'))) === ']') return words;
  }
}

/** Fills the rows of `words`, returning as soon as all are filled: the rest of the file is never read. */
async function readVectors(cursor: Cursor, header: Required<Header>, words: string[], out: Float32Array) {
  const { dimensions, wordIndex } = header;
  let missing = words.length;
  const filled = new Uint8Array(words.length);
  await cursor.read(punctuation('{'));
  if ((await cursor.read(peekChar)) === '}') {
    await cursor.read(punctuation('}'));
  } else {
    for (;;) {
      const word = await cursor.read(readString);
      await cursor.read(punctuation(':'));
      const values = await cursor.read(readNumberArray);
      const row = values[wordIndex];
      if (
        values.length <= Math.max(dimensions - 1, wordIndex) ||
        row === undefined ||
        !Number.isInteger(row)
      ) {
        throw new SyntaxError(`malformed vector for '${word}'`);
      }
      if (row < words.length) {
        if (words[row] !== word)
          throw new SyntaxError(`vector row ${row} is '${word}', words[] says '${words[row]}'`);
        if (filled[row] === 0) missing--;
        filled[row] = 1;
        out.set(values.slice(0, dimensions), row * dimensions);
        if (missing === 0) return;
      }
      if ((await cursor.read(punctuation(',}'))) === '}') break;
    }
  }
  if (missing > 0) throw new SyntaxError(`${missing} of the first ${words.length} words have no vector`);
}

function headerInteger(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new SyntaxError(`header field '${name}' is not an integer >= ${min}`);
  }
  return value;
}

/** Reads the `limit` most frequent words of a wink embeddings file and their raw vectors. */
export async function readWinkRows(file: string, limit: number, chunkBytes = 1 << 20): Promise<WinkRows> {
  // utf8 decoding in the stream keeps multi-byte characters whole across chunk edges.
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: chunkBytes });
  try {
    const cursor = new Cursor(stream);
    const header: Header = {};
    let words: string[] | undefined;
    await cursor.read(punctuation('{'));
    for (;;) {
      if ((await cursor.read(peekChar)) === '}') break;
      const key = await cursor.read(readString);
      await cursor.read(punctuation(':'));
      if (key === 'words') {
        words = await readWords(cursor, limit);
      } else if (key === 'vectors') {
        // The header and word list come first in every published version; relying on that
        // is what lets the scan stop early.
        if (words === undefined) throw new SyntaxError("'vectors' precedes 'words'");
        const dimensions = headerInteger(header.dimensions, 'dimensions', 1);
        const wordIndex = headerInteger(header.wordIndex, 'wordIndex', 0);
        const vectors = new Float32Array(words.length * dimensions);
        await readVectors(cursor, { dimensions, wordIndex }, words, vectors);
        return { dimensions, words, vectors };
      } else {
        const next = await cursor.read(peekChar);
        const value =
          next === '"'
            ? await cursor.read(readString)
            : next === '['
              ? await cursor.read(readNumberArray)
              : await cursor.read(readScalar);
        if (key === 'dimensions' || key === 'wordIndex') header[key] = value as number;
      }
      if ((await cursor.read(punctuation(',}'))) === '}') break;
    }
    throw new SyntaxError("no 'vectors' object in the embeddings file");
  } finally {
    stream.destroy();
  }
}
