import { describe, expect, it } from 'vitest';
import { encodeRequestHeaders, HpackDecoder, HpackError } from './hpack.js';
import { huffmanCodes, huffmanDecode, huffmanEncode, huffmanLengths } from './hpack-huffman.js';

function decodeAll(decoder: HpackDecoder, hex: string): [string, string][] {
  const headers: [string, string][] = [];
  decoder.decode(Buffer.from(hex.replace(/\s/g, ''), 'hex'), {
    onHeader: (name, value) => headers.push([name, value]),
  });
  return headers;
}

describe('HPACK Huffman code', () => {
  it('is the RFC 7541 code: spot checks against Appendix B', () => {
    expect(huffmanCodes[48]).toBe(0x0); // '0'
    expect(huffmanLengths[48]).toBe(5);
    expect(huffmanCodes[0]).toBe(0x1ff8);
    expect(huffmanCodes[32]).toBe(0x14); // ' '
    expect(huffmanCodes[92]).toBe(0x7fff0); // '\'
    expect(huffmanCodes[255]).toBe(0x3ffffee);
    expect(huffmanCodes[256]).toBe(0x3fffffff); // EOS
    const kraft = huffmanLengths.reduce((sum, length) => sum + 2 ** -length, 0);
    expect(kraft).toBe(1);
  });

  it('decodes what it encodes, for every octet', () => {
    const every = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    const encoded = huffmanEncode(every);
    expect(huffmanDecode(encoded, 0, encoded.length)).toBe(every);
  });

  it('decodes the RFC example "www.example.com"', () => {
    const bytes = Buffer.from('f1e3c2e5f23a6ba0ab90f4ff', 'hex');
    expect(huffmanDecode(bytes, 0, bytes.length)).toBe('www.example.com');
  });

  it('rejects padding that is not 1 bits', () => {
    const bytes = Buffer.from([0x00]); // '0' (00000) then padding 000
    expect(() => huffmanDecode(bytes, 0, 1)).toThrow(/padding/);
  });
});

describe('HpackDecoder', () => {
  it('decodes the RFC 7541 C.4 requests in sequence, with the dynamic table', () => {
    const decoder = new HpackDecoder();
    expect(decodeAll(decoder, '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff')).toEqual([
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com'],
    ]);
    expect(decodeAll(decoder, '8286 84be 5886 a8eb 1064 9cbf')).toEqual([
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com'],
      ['cache-control', 'no-cache'],
    ]);
    expect(decodeAll(decoder, '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf')).toEqual([
      [':method', 'GET'],
      [':scheme', 'https'],
      [':path', '/index.html'],
      [':authority', 'www.example.com'],
      ['custom-key', 'custom-value'],
    ]);
  });

  it('decodes multi-byte integers (RFC 7541 C.1.2: 1337 with a 5-bit prefix)', () => {
    expect(() => decodeAll(new HpackDecoder(1000), '3f 9a 0a')).toThrow(/size update to 1337 over 1000/);
    expect(decodeAll(new HpackDecoder(), '3f 9a 0a')).toEqual([]);
  });

  it('evicts the oldest entries and honours table size updates', () => {
    const decoder = new HpackDecoder();
    // Size update to 0 empties the table; an index into it then fails.
    decodeAll(decoder, '40 01 61 01 62'); // a: b, incrementally indexed
    expect(decodeAll(decoder, 'be')).toEqual([['a', 'b']]);
    decodeAll(decoder, '20');
    expect(() => decodeAll(decoder, 'be')).toThrow(HpackError);
  });

  it('rejects a size update above the announced limit, and truncated input', () => {
    expect(() => decodeAll(new HpackDecoder(), '3f e2 1f')).toThrow(/table size update/);
    expect(() => decodeAll(new HpackDecoder(), '40 05 61')).toThrow(HpackError);
  });
});

describe('encodeRequestHeaders', () => {
  const headers = [
    [':method', 'POST'],
    [':scheme', 'http'],
    [':path', '/speech.v1.SpeechService/Classify'],
    [':authority', '127.0.0.1:50051'],
    ['content-type', 'application/grpc'],
    ['te', 'trailers'],
  ] as const;

  it('indexes on the first request and refers to the table afterwards', () => {
    const blocks = encodeRequestHeaders(headers);
    const server = new HpackDecoder();
    const first: string[][] = [];
    server.decode(blocks.first, { onHeader: (n, v) => first.push([n, v]) });
    expect(first).toEqual(headers.map((h) => [...h]));
    for (let i = 0; i < 3; i++) {
      const again: string[][] = [];
      server.decode(blocks.repeat, { onHeader: (n, v) => again.push([n, v]) });
      expect(again).toEqual(headers.map((h) => [...h]));
    }
    expect(blocks.repeat.length).toBe(headers.length);
  });

  it('sends literals, after a size update, to a server whose table is too small', () => {
    const blocks = encodeRequestHeaders(headers, 64);
    const server = new HpackDecoder();
    for (const block of [blocks.first, blocks.repeat]) {
      const seen: string[][] = [];
      server.decode(block, { onHeader: (n, v) => seen.push([n, v]) });
      expect(seen).toEqual(headers.map((h) => [...h]));
    }
    expect(blocks.first[0]! & 0xe0).toBe(0x20);
  });
});
