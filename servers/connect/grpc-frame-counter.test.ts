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

describe('GrpcFrameCounter trailer frames', () => {
  it('does not count flagged frames as messages and keeps the first 16 KiB of their bytes', () => {
    const trailer = Buffer.from('grpc-status: 0\r\n');
    const head = Buffer.alloc(5);
    head[0] = 0x80;
    head.writeUInt32BE(trailer.length, 1);
    const huge = Buffer.alloc(5 + 1_000_000, 1);
    huge[0] = 0x80;
    huge.writeUInt32BE(1_000_000, 1);
    const counter = new GrpcFrameCounter();
    for (const part of [frame(10), head, trailer, huge]) counter.push(part);
    expect(counter.messageBytes).toBe(10);
    expect(Buffer.from(counter.trailerBytes).subarray(0, trailer.length).toString()).toBe(trailer.toString());
    expect(counter.trailerBytes.length).toBe(16 * 1024);
  });
});
