import net from 'node:net';
import type { DriverConnection, Outcome } from '../../../bench/drivers/driver.js';

export interface Http1TestTarget {
  readonly port: number;
  readonly path: string;
  /** A request still unanswered after this long is `timedOut` and its socket is reset. */
  readonly timeoutMs?: number;
}

interface Pending {
  readonly resolve: (outcome: Outcome) => void;
  readonly timer: NodeJS.Timeout | undefined;
}

/** HTTP statuses to the gRPC code names the service uses for them (its status table, reversed). */
const codeByStatus: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const headerEnd = Buffer.from('\r\n\r\n');

/**
 * A tiny HTTP/1.1 client over one keep-alive socket, pipelining when the load model allows more
 * than one request in flight: just enough of a driver to test load models against real servers.
 * It understands only `Content-Length` bodies, which is all the test servers send.
 */
export class Http1TestConnection implements DriverConnection {
  private socket: net.Socket | undefined;
  private pending: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private closedBytesWritten = 0;
  private closedBytesRead = 0;
  private readonly request: Buffer;

  constructor(private readonly target: Http1TestTarget) {
    this.request = Buffer.from(`GET ${target.path} HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\n\r\n`);
  }

  /** The size of one request on the wire. */
  get requestBytes(): number {
    return this.request.length;
  }

  get bytesWritten(): number {
    return this.closedBytesWritten + (this.socket?.bytesWritten ?? 0);
  }

  get bytesRead(): number {
    return this.closedBytesRead + (this.socket?.bytesRead ?? 0);
  }

  /** Opens the socket before any load starts, as drivers do. */
  async open(): Promise<void> {
    const socket = this.ensureSocket();
    if (socket.connecting) await new Promise((resolve) => socket.once('connect', resolve));
  }

  send(): Promise<Outcome> {
    const socket = this.ensureSocket();
    return new Promise<Outcome>((resolve) => {
      const timeoutMs = this.target.timeoutMs;
      const entry: Pending = {
        resolve,
        timer:
          timeoutMs === undefined ? undefined : setTimeout(() => this.timedOut(socket, entry), timeoutMs),
      };
      this.pending.push(entry);
      socket.write(this.request);
    });
  }

  close(): void {
    this.reset(this.socket, 'CANCELLED');
  }

  private ensureSocket(): net.Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = net.connect({ host: '127.0.0.1', port: this.target.port, noDelay: true });
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    socket.on('error', () => this.reset(socket, 'UNAVAILABLE'));
    socket.on('close', () => this.reset(socket, 'UNAVAILABLE'));
    return socket;
  }

  private received(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf(headerEnd);
      if (end < 0) return;
      const head = this.buffer.subarray(0, end).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1]);
      if (!Number.isInteger(status) || !Number.isInteger(length)) {
        this.reset(this.socket, 'INTERNAL');
        return;
      }
      const total = end + headerEnd.length + length;
      if (this.buffer.length < total) return;
      this.buffer = this.buffer.subarray(total);
      const entry = this.pending.shift();
      if (entry === undefined) continue;
      clearTimeout(entry.timer);
      entry.resolve(
        status >= 200 && status < 300
          ? { kind: 'ok' }
          : { kind: 'failed', code: codeByStatus[status] ?? 'UNKNOWN' },
      );
    }
  }

  /**
   * HTTP/1.1 answers in order, so a request that never gets its answer blocks every later one on
   * the socket: a timeout resets the connection (the next send opens a new one), as real drivers do.
   */
  private timedOut(socket: net.Socket, entry: Pending): void {
    const index = this.pending.indexOf(entry);
    if (index < 0) return;
    this.pending.splice(index, 1);
    entry.resolve({ kind: 'timedOut' });
    this.reset(socket, 'UNAVAILABLE');
  }

  private reset(socket: net.Socket | undefined, code: string): void {
    if (socket === undefined || socket !== this.socket) return;
    this.closedBytesWritten += socket.bytesWritten;
    this.closedBytesRead += socket.bytesRead;
    this.socket = undefined;
    socket.destroy();
    const orphans = this.pending;
    this.pending = [];
    for (const entry of orphans) {
      clearTimeout(entry.timer);
      entry.resolve({ kind: 'failed', code });
    }
  }
}

export async function openTestConnections(
  count: number,
  target: Http1TestTarget,
): Promise<Http1TestConnection[]> {
  const connections = Array.from({ length: count }, () => new Http1TestConnection(target));
  await Promise.all(connections.map((connection) => connection.open()));
  return connections;
}
