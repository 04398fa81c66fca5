/**
 * A seeded mutation engine for protobuf bytes: each operator breaks a valid message
 * the way a buggy or hostile client would (truncation, bad varints, wrong wire types,
 * absurd length prefixes, random bytes). Same seed, same cases.
 */
export type Random = () => number;

export const protobufMutations = [
  'truncate',
  'flip-byte',
  'bad-varint',
  'wrong-wire-type',
  'absurd-length',
  'insert-random',
  'duplicate-span',
  'random-bytes',
  'empty',
] as const;
export type ProtobufMutation = (typeof protobufMutations)[number];

const int = (random: Random, below: number) => Math.floor(random() * below);

/** Mostly near the start, where the tags, lengths and the WAV header are. */
function position(random: Random, length: number): number {
  if (length === 0) return 0;
  return random() < 0.6 ? int(random, Math.min(length, 64)) : int(random, length);
}

function randomBytes(random: Random, count: number): Buffer {
  const bytes = Buffer.allocUnsafe(count);
  for (let i = 0; i < count; i += 1) bytes[i] = int(random, 256);
  return bytes;
}

export function mutateProtobuf(valid: Buffer, random: Random): { kind: ProtobufMutation; bytes: Buffer } {
  const kind = protobufMutations[int(random, protobufMutations.length)]!;
  const at = position(random, valid.length);
  const before = valid.subarray(0, at);
  const after = valid.subarray(at);
  switch (kind) {
    case 'truncate':
      return { kind, bytes: Buffer.from(before) };
    case 'flip-byte': {
      const bytes = Buffer.from(valid);
      if (bytes.length > 0) bytes[at] = bytes[at]! ^ (1 << int(random, 8));
      return { kind, bytes };
    }
    case 'bad-varint': {
      // Eleven continuation bytes: longer than any varint may be (ten bytes at most).
      const varint = Buffer.alloc(1 + int(random, 11), 0xff);
      return { kind, bytes: Buffer.concat([before, varint, random() < 0.5 ? Buffer.alloc(0) : after]) };
    }
    case 'wrong-wire-type': {
      // A tag for field 1..4 with wire types 0..7 (6 and 7 do not exist; 3 and 4 are groups).
      const tag = ((1 + int(random, 4)) << 3) | int(random, 8);
      return { kind, bytes: Buffer.concat([before, Buffer.from([tag]), after]) };
    }
    case 'absurd-length': {
      // A length-delimited field 1..4 whose length is far past the end of the message.
      const tag = ((1 + int(random, 4)) << 3) | 2;
      const lengths = [
        [0xff, 0xff, 0xff, 0xff, 0x0f],
        [0xff, 0xff, 0xff, 0xff, 0x07],
        [0x80, 0x80, 0x04],
        [0x7f],
      ];
      const length = lengths[int(random, lengths.length)]!;
      return { kind, bytes: Buffer.concat([before, Buffer.from([tag, ...length]), after.subarray(0, 8)]) };
    }
    case 'insert-random':
      return { kind, bytes: Buffer.concat([before, randomBytes(random, 1 + int(random, 16)), after]) };
    case 'duplicate-span': {
      const span = valid.subarray(at, at + 1 + int(random, 32));
      return { kind, bytes: Buffer.concat([before, span, span, after.subarray(span.length)]) };
    }
    case 'random-bytes':
      return { kind, bytes: randomBytes(random, 1 + int(random, 64)) };
    case 'empty':
      return { kind, bytes: Buffer.alloc(0) };
  }
}

/**
 * gRPC's own framing broken around a message: a compressed flag without an encoding,
 * a length prefix past the end, a short prefix, trailing bytes after the message.
 */
export function mutateGrpcFrame(message: Buffer, random: Random): { kind: string; frame: Buffer } {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  switch (int(random, 4)) {
    case 0:
      prefix[0] = 1;
      return { kind: 'frame-compressed-flag', frame: Buffer.concat([prefix, message]) };
    case 1:
      prefix.writeUInt32BE(message.length + 1 + int(random, 1_000_000), 1);
      return { kind: 'frame-length-past-end', frame: Buffer.concat([prefix, message]) };
    case 2:
      return { kind: 'frame-short-prefix', frame: prefix.subarray(0, 1 + int(random, 4)) };
    default:
      return {
        kind: 'frame-trailing-bytes',
        frame: Buffer.concat([prefix, message, Buffer.from([0, 0, 0])]),
      };
  }
}
