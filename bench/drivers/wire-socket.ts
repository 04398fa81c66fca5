/**
 * A driver's connection socket, over TLS when asked. The TCP socket is created here and
 * handed to tls.connect, so that the byte counts come from it: with TLS, the bytes a
 * driver reports are the encrypted bytes on the wire (records, handshake and all), not
 * the plaintext the TLS layer was given.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { type ClientTls, nodeTlsClientOptions } from '../../clients/client-tls.js';
import { describeTlsError, refusedClientCertificate } from '../../clients/tls-errors.js';

export class WireSocket {
  /** Where requests are written and answers read: the TLS socket, or the TCP socket itself. */
  readonly io: Socket;
  /** The TCP socket: what its bytesWritten/bytesRead count is on the wire. */
  readonly wire: Socket;
  /** The event `io` emits once requests can flow (`connect`, or `secureConnect` with TLS). */
  readonly readyEvent: 'connect' | 'secureConnect';
  private secured = false;
  private answered = false;
  private error: Error | undefined;

  constructor(
    host: string,
    port: number,
    private readonly tls?: ClientTls,
    alpn?: readonly string[],
  ) {
    this.wire = netConnect({ host, port, noDelay: true });
    if (!tls) {
      this.io = this.wire;
      this.readyEvent = 'connect';
    } else {
      const io = tlsConnect({
        ...nodeTlsClientOptions(tls, host),
        socket: this.wire,
        ...(alpn ? { ALPNProtocols: [...alpn] } : {}),
      });
      io.once('secureConnect', () => {
        this.secured = true;
        if (alpn && (typeof io.alpnProtocol !== 'string' || !alpn.includes(io.alpnProtocol)))
          io.destroy(new Error(`the server did not agree to ${alpn.join(' or ')} in ALPN`));
      });
      io.once('data', () => {
        this.answered = true;
      });
      this.io = io;
      this.readyEvent = 'secureConnect';
    }
    this.io.once('error', (error: Error) => {
      this.error = error;
    });
  }

  /** The TLS reason a connection failed, when it was one. */
  tlsProblem(): string | undefined {
    if (this.error) {
      const described = describeTlsError(this.error);
      if (described !== undefined) return described;
    }
    // Node servers refuse a bad client certificate by closing after the handshake, with no alert.
    if (this.tls && this.secured && !this.answered) return refusedClientCertificate;
    return undefined;
  }

  /** Why the connection could not be made or was lost. */
  problem(): string {
    return this.tlsProblem() ?? this.error?.message ?? 'the connection closed';
  }
}
