import type { Socket } from 'node:net';

/**
 * A connection's live socket and the bytes every socket it has had carried:
 * reconnects must not make the byte accounting forget what went before.
 */
export class SocketBytes {
  current: Socket | undefined;
  /** The TCP socket under `current` when that is a TLS socket: bytes are counted on it. */
  wire: Socket | undefined;
  private retiredWritten = 0;
  private retiredRead = 0;

  get written(): number {
    return this.retiredWritten + ((this.wire ?? this.current)?.bytesWritten ?? 0);
  }

  get read(): number {
    return this.retiredRead + ((this.wire ?? this.current)?.bytesRead ?? 0);
  }

  /** Forgets the live socket, keeping what it carried in the totals. */
  retire(): void {
    const counted = this.wire ?? this.current;
    if (!counted) return;
    this.retiredWritten += counted.bytesWritten;
    this.retiredRead += counted.bytesRead;
    this.current = undefined;
    this.wire = undefined;
  }
}
