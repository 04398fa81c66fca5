/**
 * The byte breakdown of one HTTP/2 connection, frame by frame: the connection hands
 * every buffer it writes (always whole frames, the preface first) and the type and
 * length of every frame it reads. Integer adds only: this runs once per frame.
 */
import { ByteTally, type PartCounts } from '../byte-breakdown.js';
import { connectionPreface, FrameType, frameHeaderBytes } from './frames.js';

/**
 * Padding (which neither our client nor node:http2 sends by default) would count as
 * body or headers: the payload length is all a frame header tells.
 */
function countFrame(parts: PartCounts, type: number, length: number): void {
  if (type === FrameType.DATA) {
    parts.framing += frameHeaderBytes;
    parts.body += length;
  } else if (type === FrameType.HEADERS || type === FrameType.CONTINUATION) {
    parts.framing += frameHeaderBytes;
    parts.headers += length;
  } else {
    parts.control += frameHeaderBytes + length;
  }
}

export class H2ByteTally extends ByteTally {
  private prefaceLeft = connectionPreface.length;

  /** Counts a buffer about to be written: the preface (once), then whole frames. */
  wrote(data: Buffer): void {
    let pos = 0;
    if (this.prefaceLeft > 0) {
      pos = Math.min(this.prefaceLeft, data.length);
      this.prefaceLeft -= pos;
      this.written.control += pos;
    }
    while (pos + frameHeaderBytes <= data.length) {
      const length = (data[pos]! << 16) | (data[pos + 1]! << 8) | data[pos + 2]!;
      countFrame(this.written, data[pos + 3]!, length);
      pos += frameHeaderBytes + length;
    }
  }

  /** Counts a frame read whole (`length` is its payload). */
  readFrame(type: number, length: number): void {
    countFrame(this.read, type, length);
  }
}
