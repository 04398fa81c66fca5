/**
 * HPACK's Huffman code (RFC 7541, Appendix B). The code is canonical, so the bit
 * length of each of the 257 symbols (256 octets and EOS) defines it completely.
 */
const codeLengths = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28,
  28, 28, 28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7,
  8, 15, 6, 12, 10, 13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19,
  13, 14, 6, 15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13,
  28, 20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21,
  22, 23, 22, 23, 23, 24, 22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23,
  22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, 26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25,
  25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, 30,
];

const EOS = 256;

/** Codes assigned in order of (length, symbol), as a canonical code is. */
function canonicalCodes(): number[] {
  const order = codeLengths
    .map((_, symbol) => symbol)
    .sort((a, b) => codeLengths[a]! - codeLengths[b]! || a - b);
  const codes = new Array<number>(codeLengths.length).fill(0);
  let code = 0;
  let previousLength = codeLengths[order[0]!]!;
  for (const [i, symbol] of order.entries()) {
    const length = codeLengths[symbol]!;
    if (i > 0) code = (code + 1) * 2 ** (length - previousLength);
    previousLength = length;
    codes[symbol] = code;
  }
  return codes;
}

export const huffmanCodes: readonly number[] = canonicalCodes();
export const huffmanLengths: readonly number[] = codeLengths;

/**
 * The decoding tree, flattened: node n has children at 2n and 2n+1 of `children`;
 * a negative entry is a leaf holding -(symbol + 1).
 */
function buildTree(): Int32Array {
  const children = new Int32Array(2 * 512).fill(0);
  let nodes = 1;
  for (let symbol = 0; symbol < codeLengths.length; symbol++) {
    const length = codeLengths[symbol]!;
    const code = huffmanCodes[symbol]!;
    let node = 0;
    for (let bit = length - 1; bit >= 0; bit--) {
      const slot = 2 * node + (Math.floor(code / 2 ** bit) % 2);
      if (bit === 0) {
        children[slot] = -(symbol + 1);
      } else {
        if (children[slot] === 0) children[slot] = nodes++;
        node = children[slot]!;
      }
    }
  }
  return children;
}

const tree = buildTree();

/** Decodes a Huffman-coded string literal; throws on EOS inside or on padding that is not a short run of 1 bits. */
export function huffmanDecode(bytes: Buffer, start: number, end: number): string {
  let text = '';
  let node = 0;
  let depth = 0;
  let allOnes = true;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    for (let bit = 7; bit >= 0; bit--) {
      const one = (byte >> bit) & 1;
      const next = tree[2 * node + one]!;
      depth++;
      allOnes &&= one === 1;
      if (next < 0) {
        const symbol = -next - 1;
        if (symbol === EOS) throw new Error('HPACK: EOS inside a Huffman string');
        text += String.fromCharCode(symbol);
        node = 0;
        depth = 0;
        allOnes = true;
      } else {
        node = next;
      }
    }
  }
  if (depth > 7 || !allOnes) throw new Error('HPACK: bad Huffman padding');
  return text;
}

/** Encodes octets (a latin1 string); used by tests to check the decoder. */
export function huffmanEncode(text: string): Buffer {
  const out: number[] = [];
  let accumulator = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const symbol = text.charCodeAt(i) & 0xff;
    const length = codeLengths[symbol]!;
    const code = huffmanCodes[symbol]!;
    for (let bit = length - 1; bit >= 0; bit--) {
      accumulator = (accumulator << 1) | (Math.floor(code / 2 ** bit) % 2);
      if (++bits === 8) {
        out.push(accumulator);
        accumulator = 0;
        bits = 0;
      }
    }
  }
  if (bits > 0) out.push((accumulator << (8 - bits)) | (0xff >> bits));
  return Buffer.from(out);
}
