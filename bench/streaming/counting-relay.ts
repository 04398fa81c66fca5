import { connect, createServer, type Server, type Socket } from 'node:net';

export interface ByteCounts {
  /** Client to server. */
  readonly sent: number;
  /** Server to client. */
  readonly received: number;
}

interface Tally {
  sent: number;
  received: number;
  readonly sockets: Set<Socket>;
}

/**
 * A loopback TCP relay that counts the bytes it forwards each way. The stream's
 * client connects to it instead of the server, so both protocols are counted on
 * the wire the same way, whatever their client libraries hide (grpc-js keeps its
 * socket to itself). The price is one extra loopback hop each way, for both.
 */
export class CountingRelay {
  readonly host = '127.0.0.1';

  private constructor(
    private readonly server: Server,
    private readonly tally: Tally,
    readonly port: number,
  ) {}

  static async start(target: { readonly host: string; readonly port: number }): Promise<CountingRelay> {
    const tally: Tally = { sent: 0, received: 0, sockets: new Set() };
    const server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        socket.setNoDelay(true);
        tally.sockets.add(socket);
        socket.on('close', () => tally.sockets.delete(socket));
        // Either side failing ends the pair: a relay must not keep half a connection.
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.on('data', (chunk: Buffer) => {
        tally.sent += chunk.length;
      });
      upstream.on('data', (chunk: Buffer) => {
        tally.received += chunk.length;
      });
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the relay has no TCP address');
    return new CountingRelay(server, tally, address.port);
  }

  /** Bytes forwarded so far, over every connection the relay has had. */
  counts(): ByteCounts {
    return { sent: this.tally.sent, received: this.tally.received };
  }

  /** Closes the listener and every connection still open through it. */
  async close(): Promise<void> {
    for (const socket of this.tally.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
