import { describe, expect, it } from 'vitest';
import { GrpcFrameCounter } from './grpc-frame-counter.js';

function frame(length: number): Buffer {
  const bytes = Buffer.alloc(5 + length, 7);
  bytes[0] = 0;
  bytes.writeUInt32BE(length, 1);
  return bytes;
}

describe('GrpcFrameCounter', () => {
  it('counts message bytes without prefixes, whatever the chunk boundaries', () => {
    const body = Buffer.concat([frame(300), frame(0), frame(70_000), frame(1)]);
    for (const size of [1, 3, 5, 7, 4096, body.length]) {
      const counter = new GrpcFrameCounter();
      for (let at = 0; at < body.length; at += size) counter.push(body.subarray(at, at + size));
      expect(counter.messageBytes).toBe(300 + 0 + 70_000 + 1);
    }
  });
});
