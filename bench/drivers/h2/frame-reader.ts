/** Cuts the bytes read from an HTTP/2 connection into frames, however the reads split them. */
import { ErrorCode, frameHeaderBytes } from './frames.js';
import { HpackError } from './hpack.js';

/** Handles one frame (payload `data[start, end)`); returns false to stop reading (the connection closed). */
export type OnFrame = (
  type: number,
  flags: number,
  streamId: number,
  data: Buffer,
  start: number,
  end: number,
) => boolean;

export class FrameReader {
  private carry: Buffer | undefined;

  /** Feeds bytes; returns the HTTP/2 error code to close the connection with, if a frame could not be handled. */
  push(chunk: Buffer, onFrame: OnFrame): number | undefined {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    let pos = 0;
    while (data.length - pos >= frameHeaderBytes) {
      const length = (data[pos]! << 16) | (data[pos + 1]! << 8) | data[pos + 2]!;
      const start = pos + frameHeaderBytes;
      const end = start + length;
      if (end > data.length) break;
      const type = data[pos + 3]!;
      const flags = data[pos + 4]!;
      const streamId = data.readUInt32BE(pos + 5) & 0x7fffffff;
      pos = end;
      try {
        if (!onFrame(type, flags, streamId, data, start, end)) return undefined;
      } catch (error) {
        return error instanceof HpackError ? ErrorCode.COMPRESSION_ERROR : ErrorCode.PROTOCOL_ERROR;
      }
    }
    if (pos < data.length) this.carry = data.subarray(pos);
    return undefined;
  }
}
