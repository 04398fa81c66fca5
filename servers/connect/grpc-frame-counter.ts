/**
 * Counts the message bytes in a gRPC body, without the 5-byte prefix of each message,
 * across chunk boundaries: the same figure grpc-js's deserializer sees, so the usage
 * ledger reads alike for both gRPC servers.
 */
export class GrpcFrameCounter {
  messageBytes = 0;
  private prefixRead = 0;
  private readonly prefix = Buffer.alloc(5);
  private remaining = 0;

  push(chunk: Uint8Array): void {
    let index = 0;
    while (index < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - index);
        this.messageBytes += take;
        this.remaining -= take;
        index += take;
      } else {
        this.prefix[this.prefixRead++] = chunk[index++]!;
        if (this.prefixRead === 5) {
          this.remaining = this.prefix.readUInt32BE(1);
          this.prefixRead = 0;
        }
      }
    }
  }
}
