/**
 * HPACK (RFC 7541) as a load generator needs it: a full decoder, since every answer's
 * headers must be decoded to keep the dynamic table in step with the server, and an
 * encoder for one fixed request header list, encoded once per connection.
 */
import { huffmanDecode } from './hpack-huffman.js';

const staticTable: readonly (readonly [string, string])[] = [
  [':authority', ''],
  [':method', 'GET'],
  [':method', 'POST'],
  [':path', '/'],
  [':path', '/index.html'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '200'],
  [':status', '204'],
  [':status', '206'],
  [':status', '304'],
  [':status', '400'],
  [':status', '404'],
  [':status', '500'],
  ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'],
  ['accept-language', ''],
  ['accept-ranges', ''],
  ['accept', ''],
  ['access-control-allow-origin', ''],
  ['age', ''],
  ['allow', ''],
  ['authorization', ''],
  ['cache-control', ''],
  ['content-disposition', ''],
  ['content-encoding', ''],
  ['content-language', ''],
  ['content-length', ''],
  ['content-location', ''],
  ['content-range', ''],
  ['content-type', ''],
  ['cookie', ''],
  ['date', ''],
  ['etag', ''],
  ['expect', ''],
  ['expires', ''],
  ['from', ''],
  ['host', ''],
  ['if-match', ''],
  ['if-modified-since', ''],
  ['if-none-match', ''],
  ['if-range', ''],
  ['if-unmodified-since', ''],
  ['last-modified', ''],
  ['link', ''],
  ['location', ''],
  ['max-forwards', ''],
  ['proxy-authenticate', ''],
  ['proxy-authorization', ''],
  ['range', ''],
  ['referer', ''],
  ['refresh', ''],
  ['retry-after', ''],
  ['server', ''],
  ['set-cookie', ''],
  ['strict-transport-security', ''],
  ['transfer-encoding', ''],
  ['user-agent', ''],
  ['vary', ''],
  ['via', ''],
  ['www-authenticate', ''],
];
const staticCount = staticTable.length;

/** Every entry costs its octets plus 32 (RFC 7541, 4.1). */
const entryOverhead = 32;
export const defaultTableSize = 4096;

export interface HeaderVisitor {
  onHeader(name: string, value: string): void;
}

export class HpackError extends Error {}

export class HpackDecoder {
  /** Newest first: dynamic index 62 is `entries[0]`. */
  private readonly entries: (readonly [string, string])[] = [];
  private size = 0;
  private maxSize: number;
  private pos = 0;
  private block: Buffer = Buffer.alloc(0);

  /** `limit`: the SETTINGS_HEADER_TABLE_SIZE we announced (the default unless we sent another). */
  constructor(private readonly limit = defaultTableSize) {
    this.maxSize = limit;
  }

  /** Decodes a complete header block; throws HpackError, after which the connection is unusable. */
  decode(block: Buffer, visitor: HeaderVisitor): void {
    this.block = block;
    this.pos = 0;
    while (this.pos < block.length) {
      const first = block[this.pos]!;
      if (first & 0x80) {
        const [name, value] = this.entry(this.integer(7));
        visitor.onHeader(name, value);
      } else if (first & 0x40) {
        const [name, value] = this.literal(6);
        this.insert(name, value);
        visitor.onHeader(name, value);
      } else if (first & 0x20) {
        const size = this.integer(5);
        if (size > this.limit) throw new HpackError(`HPACK: table size update to ${size} over ${this.limit}`);
        this.maxSize = size;
        this.evict(0);
      } else {
        const [name, value] = this.literal(4);
        visitor.onHeader(name, value);
      }
    }
  }

  private integer(prefixBits: number): number {
    const block = this.block;
    const mask = (1 << prefixBits) - 1;
    let value = block[this.pos++]! & mask;
    if (value < mask) return value;
    let factor = 1;
    for (;;) {
      if (this.pos >= block.length) throw new HpackError('HPACK: truncated integer');
      const byte = block[this.pos++]!;
      value += (byte & 0x7f) * factor;
      factor *= 128;
      if (factor > 2 ** 28) throw new HpackError('HPACK: integer too large');
      if ((byte & 0x80) === 0) return value;
    }
  }

  private string(): string {
    if (this.pos >= this.block.length) throw new HpackError('HPACK: truncated string');
    const huffman = (this.block[this.pos]! & 0x80) !== 0;
    const length = this.integer(7);
    const start = this.pos;
    const end = start + length;
    if (end > this.block.length) throw new HpackError('HPACK: string beyond the block');
    this.pos = end;
    try {
      return huffman ? huffmanDecode(this.block, start, end) : this.block.toString('latin1', start, end);
    } catch (error) {
      throw new HpackError(error instanceof Error ? error.message : String(error));
    }
  }

  private literal(prefixBits: number): readonly [string, string] {
    const index = this.integer(prefixBits);
    const name = index === 0 ? this.string() : this.entry(index)[0];
    return [name, this.string()];
  }

  private entry(index: number): readonly [string, string] {
    const entry = index <= staticCount ? staticTable[index - 1] : this.entries[index - staticCount - 1];
    if (index === 0 || !entry) throw new HpackError(`HPACK: no table entry ${index}`);
    return entry;
  }

  private insert(name: string, value: string): void {
    const size = name.length + value.length + entryOverhead;
    this.evict(size);
    if (size > this.maxSize) return;
    this.entries.unshift([name, value]);
    this.size += size;
  }

  private evict(room: number): void {
    while (this.entries.length > 0 && this.size + room > this.maxSize) {
      const [name, value] = this.entries.pop()!;
      this.size -= name.length + value.length + entryOverhead;
    }
  }
}

function integerBytes(value: number, prefixBits: number, pattern: number): number[] {
  const mask = (1 << prefixBits) - 1;
  if (value < mask) return [pattern | value];
  const bytes = [pattern | mask];
  let rest = value - mask;
  while (rest >= 128) {
    bytes.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

function stringBytes(text: string): number[] {
  return [...integerBytes(text.length, 7, 0), ...Buffer.from(text, 'latin1')];
}

/** The request's header block: `first` for a connection's first request, `repeat` for every later one. */
export interface RequestHeaderBlocks {
  readonly first: Buffer;
  readonly repeat: Buffer;
}

/**
 * Encodes a fixed header list as a real client would: full static matches as indexes,
 * everything else added to the server's dynamic table by the first request, so that
 * every later request is a handful of index bytes. If the server's table is too small
 * for that (`tableSize`, its SETTINGS_HEADER_TABLE_SIZE), literals are sent every time.
 */
export function encodeRequestHeaders(
  headers: readonly (readonly [string, string])[],
  tableSize = defaultTableSize,
): RequestHeaderBlocks {
  const toIndex = headers.filter(([name, value]) => !staticTable.some(([n, v]) => n === name && v === value));
  const needed = toIndex.reduce((sum, [name, value]) => sum + name.length + value.length + entryOverhead, 0);
  const indexing = needed <= Math.min(tableSize, defaultTableSize);
  // A table smaller than the default must be acknowledged before the first block uses it.
  const first: number[] = tableSize < defaultTableSize ? integerBytes(tableSize, 5, 0x20) : [];
  const repeat: number[] = [];
  let inserted = 0;
  const dynamicIndexOf = new Map<string, number>();
  for (const [name, value] of headers) {
    const full = staticTable.findIndex(([n, v]) => n === name && v === value);
    if (full >= 0) {
      first.push(...integerBytes(full + 1, 7, 0x80));
      if (!indexing) repeat.push(...integerBytes(full + 1, 7, 0x80));
      continue;
    }
    const nameIndex = staticTable.findIndex(([n]) => n === name) + 1;
    const nameBytes = nameIndex > 0 ? [] : stringBytes(name);
    const literal = (prefixBits: number, pattern: number) => [
      ...integerBytes(nameIndex, prefixBits, pattern),
      ...nameBytes,
      ...stringBytes(value),
    ];
    if (!indexing) {
      first.push(...literal(4, 0x00));
      repeat.push(...literal(4, 0x00));
      continue;
    }
    first.push(...literal(6, 0x40));
    dynamicIndexOf.set(`${name}\n${value}`, inserted++);
  }
  if (indexing) {
    // Inserted entries end up newest first: the last one inserted is index 62.
    for (const [name, value] of headers) {
      const order = dynamicIndexOf.get(`${name}\n${value}`);
      const full = staticTable.findIndex(([n, v]) => n === name && v === value);
      repeat.push(...integerBytes(order === undefined ? full + 1 : staticCount + inserted - order, 7, 0x80));
    }
  }
  return { first: Buffer.from(first), repeat: Buffer.from(repeat) };
}
