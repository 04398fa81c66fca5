/**
 * REST at the transport level over HTTP/1.1, in autocannon's manner: a raw socket per
 * connection, keep-alive, request bytes built once, pipelining up to the in-flight limit.
 * It measures the server and the protocol, not an HTTP client library.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { formatHostPort } from '../../servers/host-port.js';
import { type ByteBreakdown, PartCounts } from './byte-breakdown.js';
import { ConnectionSet } from './connection-set.js';
import {
  type ConnectionPolicy,
  type Driver,
  type DriverConnection,
  type Outcome,
  socketFailureCause,
} from './driver.js';
import { type H1Exchange, restExchange } from './h1-exchanges.js';
import { Http1ResponseParser } from './http1-response-parser.js';
import type { RestBodyForm } from './rest-request.js';
import { SocketBytes } from './socket-bytes.js';
import {
  AnswerChecks,
  defaultTimeoutMs,
  failed,
  sweepEveryMs,
  type TransportDriverOptions,
  timedOut,
} from './transport-options.js';
import { WireSocket } from './wire-socket.js';

export interface RestH1DriverOptions extends TransportDriverOptions {
  /**
   * `json` (default): the proto3 JSON body; `protobuf`: the protobuf message, answered in
   * protobuf; `raw-wav`: the audio as the body, config in the query, answered in JSON.
   */
  readonly bodyForm?: RestBodyForm;
  /** Another protocol on the same HTTP/1.1 machinery (Connect, gRPC-Web); default: REST in `bodyForm`. */
  readonly exchange?: H1Exchange;
}

function exchangeOf(options: RestH1DriverOptions): H1Exchange {
  return options.exchange ?? restExchange(options.payload, options.bodyForm ?? 'json', options.apiKey);
}

interface Pending {
  readonly deadline: number;
  readonly checked: boolean;
  readonly resolve: (outcome: Outcome) => void;
}

const unavailable = failed('UNAVAILABLE');
/** Requests pipelined behind one that timed out: the client had to drop the connection under them. */
const droppedBehind = failed('CANCELLED');
const ignore = () => {};
const uncork = (socket: Socket) => socket.uncork();

export function http1RequestBytes(options: RestH1DriverOptions): Buffer {
  const request = exchangeOf(options).request;
  const head =
    `POST ${request.path} HTTP/1.1\r\nHost: ${formatHostPort(options.host, options.port)}\r\n` +
    request.headers.map(([name, value]) => `${name}: ${value}\r\n`).join('') +
    `Content-Length: ${request.body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), request.body]);
}

class RestH1Connection implements DriverConnection {
  private readonly sockets = new SocketBytes();
  private readonly pending: Pending[] = [];
  private readonly parser: Http1ResponseParser;
  private readonly written = new PartCounts();
  private readonly sweeper: NodeJS.Timeout;
  private corked = false;
  private closed = false;
  private connection: WireSocket | undefined;

  constructor(private readonly driver: RestH1Driver) {
    this.parser = new Http1ResponseParser(
      (status) => driver.exchange.keepsBody(status, this.pending[0]?.checked === true),
      (status, body) => this.answer(status, body),
    );
    this.sweeper = setInterval(() => this.expire(), sweepEveryMs(driver.timeoutMs));
    this.sweeper.unref();
  }

  get bytesWritten(): number {
    return this.sockets.written;
  }

  get bytesRead(): number {
    return this.sockets.read;
  }

  /** Requests are counted as written whole, responses as the parser consumes them. */
  get bytes(): ByteBreakdown {
    return { written: this.written, read: this.parser.counts };
  }

  open(): Promise<void> {
    this.currentSocket();
    const connection = this.connection!;
    return new Promise((resolve, reject) => {
      connection.io.once(connection.readyEvent, () => resolve());
      connection.io.once('close', () =>
        reject(new Error(`REST server ${this.driver.address} is not reachable: ${connection.problem()}`)),
      );
    });
  }

  send(): Promise<Outcome> {
    return new Promise((resolve) => {
      if (this.closed) return resolve(droppedBehind);
      const socket = this.currentSocket();
      const deadline = performance.now() + this.driver.timeoutMs;
      this.pending.push({ deadline, checked: this.driver.checks.nextIsChecked(), resolve });
      // Requests issued in one turn of the event loop leave in one write.
      if (!this.corked) {
        this.corked = true;
        socket.cork();
        process.nextTick(() => {
          this.corked = false;
          uncork(socket);
        });
      }
      socket.write(this.driver.requestBytes);
      this.written.headers += this.driver.requestHeadBytes;
      this.written.body += this.driver.requestBodyBytes;
    });
  }

  private currentSocket(): Socket {
    if (this.sockets.current && !this.sockets.current.destroyed) return this.sockets.current;
    // A socket destroyed by an error whose close has not arrived yet: settle its requests now.
    if (this.sockets.current) this.abandon(unavailable, unavailable);
    const { host, port, tls } = this.driver.options;
    const connection = new WireSocket(host, port, tls);
    const socket = connection.io;
    socket.on('data', (chunk: Buffer) => {
      const problem = this.parser.push(chunk);
      if (problem === undefined) return;
      this.driver.checks.note(`HTTP/1.1 protocol error: ${problem}`);
      this.abandon(failed('INTERNAL'), failed('INTERNAL'));
    });
    let errorCode: string | undefined;
    socket.on('error', (error: NodeJS.ErrnoException) => {
      errorCode ??= error.code;
    });
    socket.on('close', () => {
      // Requests only get a code; the reason a TLS connection failed goes to the run's notes.
      const tlsProblem = connection.tlsProblem();
      if (tlsProblem !== undefined) this.driver.checks.note(tlsProblem);
      this.parser.end();
      const lost = failed('UNAVAILABLE', socketFailureCause(errorCode));
      this.abandon(lost, lost);
    });
    this.sockets.current = socket;
    this.sockets.wire = connection.wire;
    this.connection = connection;
    return socket;
  }

  private answer(status: number, body: Buffer | undefined): void {
    const request = this.pending.shift();
    if (!request) {
      this.driver.checks.note(`an answer (HTTP ${status}) that no request asked for`);
      this.abandon(unavailable, unavailable);
      return;
    }
    request.resolve(this.driver.exchange.outcomeOf(status, body, request.checked, this.driver.checks));
  }

  /** HTTP/1.1 cannot cancel one request: giving up on the oldest means dropping the connection. */
  private expire(): void {
    const oldest = this.pending[0];
    if (!oldest || oldest.deadline > performance.now()) return;
    this.abandon(timedOut, droppedBehind);
  }

  /** Drops the socket; the first open request ends as `first`, the ones behind it as `rest` unless they expired too. */
  private abandon(first: Outcome, rest: Outcome): void {
    const socket = this.sockets.current;
    if (socket) {
      socket.removeAllListeners();
      socket.on('error', ignore);
      socket.destroy();
      this.sockets.retire();
    }
    this.parser.reset();
    const now = performance.now();
    const dropped = this.pending.splice(0);
    for (const [index, request] of dropped.entries()) {
      request.resolve(index === 0 ? first : request.deadline <= now ? timedOut : rest);
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    this.abandon(droppedBehind, droppedBehind);
  }
}

export class RestH1Driver implements Driver {
  readonly name: string;
  readonly family = 'transport';
  readonly address: string;
  readonly timeoutMs: number;
  readonly checks: AnswerChecks;
  readonly requestBytes: Buffer;
  /** Request line and headers with every CRLF, and the body after them (no chunking: Content-Length). */
  readonly requestHeadBytes: number;
  readonly requestBodyBytes: number;
  readonly exchange: H1Exchange;
  private readonly connections = new ConnectionSet<RestH1Connection>();

  constructor(readonly options: RestH1DriverOptions) {
    this.address = formatHostPort(options.host, options.port);
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.checks = new AnswerChecks(options.checkEvery);
    this.exchange = exchangeOf(options);
    this.name = this.exchange.driverName;
    this.requestBytes = http1RequestBytes(options);
    this.requestBodyBytes = this.exchange.request.body.length;
    this.requestHeadBytes = this.requestBytes.length - this.requestBodyBytes;
  }

  connect(policy: ConnectionPolicy): Promise<DriverConnection[]> {
    return this.connections.open(policy.connections, () => new RestH1Connection(this));
  }

  async close(): Promise<void> {
    this.connections.close();
  }
}
