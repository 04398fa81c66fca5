import type { Socket } from 'node:net';

/**
 * A connection's live socket and the bytes every socket it has had carried:
 * reconnects must not make the byte accounting forget what went before.
 */
export class SocketBytes {
  current: Socket | undefined;
  private retiredWritten = 0;
  private retiredRead = 0;

  get written(): number {
    return this.retiredWritten + (this.current?.bytesWritten ?? 0);
  }

  get read(): number {
    return this.retiredRead + (this.current?.bytesRead ?? 0);
  }

  /** Forgets the live socket, keeping what it carried in the totals. */
  retire(): void {
    if (!this.current) return;
    this.retiredWritten += this.current.bytesWritten;
    this.retiredRead += this.current.bytesRead;
    this.current = undefined;
  }
}
