/** What the request gate counts of a body: its message bytes, whatever the framing. */
export interface MessageByteCounter {
  readonly messageBytes: number;
  push(chunk: Uint8Array): void;
}

/**
 * Counts the message bytes in a gRPC body, without the 5-byte prefix of each message,
 * across chunk boundaries: the same figure grpc-js's deserializer sees, so the usage
 * ledger reads alike for both gRPC servers. Frames flagged as trailers (gRPC-Web's 0x80,
 * the Connect protocol's end-of-stream 0x02) are not messages: their bytes are kept in
 * `trailerBytes` instead, up to 16 KiB (gRPC-Web carries its status there).
 */
const maxTrailerBytes = 16 * 1024;

export class GrpcFrameCounter implements MessageByteCounter {
  messageBytes = 0;
  /** The trailer frames' bytes, the first `maxTrailerBytes` of them (a status block is small). */
  private readonly trailerParts: Uint8Array[] = [];
  private trailerKept = 0;
  private prefixRead = 0;
  private readonly prefix = Buffer.alloc(5);
  private remaining = 0;
  private inTrailer = false;

  push(chunk: Uint8Array): void {
    let index = 0;
    while (index < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - index);
        if (!this.inTrailer) this.messageBytes += take;
        else if (this.trailerKept < maxTrailerBytes) {
          const kept = chunk.slice(index, index + Math.min(take, maxTrailerBytes - this.trailerKept));
          this.trailerParts.push(kept);
          this.trailerKept += kept.length;
        }
        this.remaining -= take;
        index += take;
      } else {
        this.prefix[this.prefixRead++] = chunk[index++]!;
        if (this.prefixRead === 5) {
          this.remaining = this.prefix.readUInt32BE(1);
          this.inTrailer = (this.prefix[0]! & 0x82) !== 0;
          this.prefixRead = 0;
        }
      }
    }
  }

  get trailerBytes(): Uint8Array {
    return Buffer.concat(this.trailerParts);
  }
}
