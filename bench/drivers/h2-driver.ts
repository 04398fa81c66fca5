/**
 * A transport-level driver over our own HTTP/2 client (h2/): pre-built requests, many
 * streams per connection, no client library. What differs between gRPC and REST over
 * HTTP/2 is only the request and how an answer's status and body are read; that is an
 * `H2Exchange` (grpc-h2-driver.ts, rest-h2-driver.ts).
 */
import { performance } from 'node:perf_hooks';
import { formatHostPort } from '../../servers/host-port.js';
import { type ByteBreakdown, ByteTally } from './byte-breakdown.js';
import { ConnectionSet } from './connection-set.js';
import {
  type ConnectionPolicy,
  type Driver,
  type DriverConnection,
  type Outcome,
  socketFailureCause,
} from './driver.js';
import { H2ClientConnection, type H2StreamHandler, type StreamEnd } from './h2/h2-client-connection.js';
import {
  AnswerChecks,
  defaultTimeoutMs,
  failed,
  ok,
  sweepEveryMs,
  type TransportDriverOptions,
  timedOut,
} from './transport-options.js';

const unavailable = failed('UNAVAILABLE');

/** One protocol over HTTP/2: its request, and the outcome of an answer. */
export interface H2Exchange {
  readonly name: string;
  /** The request headers after `:method`, `:scheme`, `:path` and `:authority`. */
  readonly headers: readonly (readonly [string, string])[];
  readonly path: string;
  readonly body: Buffer;
  /** The header that carries the answer's status: `grpc-status`, or `:status`. */
  readonly statusHeader: string;
  readonly okStatus: string;
  /**
   * Bytes in front of each message in a body that are framing, not message: gRPC's
   * 5-byte prefix (one message each way per unary call); 0 for REST.
   */
  readonly messagePrefixBytes: number;
  /** The outcome of an answer whose status is not `okStatus` (its body is at hand). */
  failure(status: string, body: readonly Buffer[]): Outcome;
  /** The problem with a good answer's body, or undefined. */
  check(body: readonly Buffer[]): string | undefined;
}

/** One request: its stream's handler, and what is needed to settle it. */
class H2Call implements H2StreamHandler {
  streamId = 0;
  status: string | undefined = undefined;
  expired = false;
  /** Kept for checked answers and for failures, whose body says why. */
  private chunks: Buffer[] | undefined;

  constructor(
    readonly owner: H2DriverConnection,
    readonly connection: H2ClientConnection,
    readonly deadline: number,
    readonly checked: boolean,
    readonly resolve: (outcome: Outcome) => void,
  ) {
    this.chunks = checked ? [] : undefined;
  }

  get wantsData(): boolean {
    return this.chunks !== undefined;
  }

  get body(): readonly Buffer[] {
    return this.chunks ?? [];
  }

  /** In the response headers (trailers-only answers) or in the trailers. */
  onHeader(name: string, value: string): void {
    const exchange = this.owner.driver.exchange;
    if (name !== exchange.statusHeader) return;
    this.status = value;
    if (value !== exchange.okStatus && !this.chunks) this.chunks = [];
  }

  onData(chunk: Buffer): void {
    this.chunks?.push(chunk);
  }

  onEnd(end: StreamEnd): void {
    this.owner.settle(this, end);
  }
}

class H2DriverConnection implements DriverConnection {
  private current: H2ClientConnection | undefined;
  private readonly live = new Set<H2ClientConnection>();
  private closedWritten = 0;
  private closedRead = 0;
  private readonly closedBytes = new ByteTally();
  /** Message prefixes sent and received, moved from body to framing in `bytes`. */
  private prefixWritten = 0;
  private prefixRead = 0;
  private readonly calls = new Set<H2Call>();
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(readonly driver: H2Driver) {
    this.sweeper = setInterval(() => this.expire(), sweepEveryMs(driver.timeoutMs));
    this.sweeper.unref();
  }

  get bytesWritten(): number {
    let bytes = this.closedWritten;
    for (const connection of this.live) bytes += connection.bytesWritten;
    return bytes;
  }

  get bytesRead(): number {
    let bytes = this.closedRead;
    for (const connection of this.live) bytes += connection.bytesRead;
    return bytes;
  }

  get bytes(): ByteBreakdown {
    const total = new ByteTally();
    total.add(this.closedBytes);
    for (const connection of this.live) total.add(connection.bytes);
    total.written.body -= this.prefixWritten;
    total.written.framing += this.prefixWritten;
    total.read.body -= this.prefixRead;
    total.read.framing += this.prefixRead;
    return total;
  }

  /** Resolves once the server's SETTINGS arrived; rejects if it cannot be reached in time. */
  async open(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new Error(`server ${this.driver.address} did not answer in ${this.driver.timeoutMs} ms`)),
        this.driver.timeoutMs,
      );
    });
    try {
      await Promise.race([this.connection().ready, timeout]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${this.driver.name} server ${this.driver.address} is not reachable: ${reason}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private connection(): H2ClientConnection {
    if (this.current?.accepting) return this.current;
    const { host, port } = this.driver.options;
    const connection = new H2ClientConnection({
      host,
      port,
      headers: this.driver.headers,
      ...(this.driver.options.tls ? { tls: this.driver.options.tls } : {}),
      onClosed: (closed) => {
        this.live.delete(closed);
        this.closedWritten += closed.bytesWritten;
        this.closedRead += closed.bytesRead;
        this.closedBytes.add(closed.bytes);
      },
    });
    this.live.add(connection);
    this.current = connection;
    return connection;
  }

  send(): Promise<Outcome> {
    return new Promise((resolve) => {
      if (this.closed) {
        resolve(failed('CANCELLED'));
        return;
      }
      const driver = this.driver;
      const connection = this.connection();
      const deadline = performance.now() + driver.timeoutMs;
      const call = new H2Call(this, connection, deadline, driver.checks.nextIsChecked(), resolve);
      this.calls.add(call);
      connection.request(driver.exchange.body, call);
    });
  }

  settle(call: H2Call, end: StreamEnd): void {
    this.calls.delete(call);
    const prefix = this.driver.exchange.messagePrefixBytes;
    // A stream that opened has its one message on the way (prefix first, with or right
    // after its HEADERS); a good unary answer carried one message, a failed one none.
    if (prefix > 0 && call.streamId !== 0) {
      this.prefixWritten += prefix;
      if (end === 'ended' && call.status === this.driver.exchange.okStatus) this.prefixRead += prefix;
    }
    call.resolve(this.outcomeOf(call, end));
  }

  private outcomeOf(call: H2Call, end: StreamEnd): Outcome {
    if (call.expired) return timedOut;
    // Without a status the exchange failed below the protocol: a reset, a lost connection.
    if (end === 'refused') return failed('UNAVAILABLE', 'goaway');
    if (end === 'reset') return failed('UNAVAILABLE', 'stream-reset');
    if (end === 'lost') return failed('UNAVAILABLE', socketFailureCause(call.connection.socketErrorCode));
    if (end !== 'ended' || call.status === undefined) return unavailable;
    const { exchange, checks } = this.driver;
    if (call.status !== exchange.okStatus) return exchange.failure(call.status, call.body);
    return call.checked ? checks.verdict(exchange.check(call.body)) : ok;
  }

  private expire(): void {
    const now = performance.now();
    for (const call of this.calls) {
      if (call.deadline > now) break;
      if (call.expired) continue;
      call.expired = true;
      call.connection.cancel(call);
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const connection of this.live) connection.close();
  }
}

export class H2Driver implements Driver {
  readonly family = 'transport';
  readonly name: string;
  readonly address: string;
  readonly timeoutMs: number;
  readonly checks: AnswerChecks;
  readonly headers: readonly (readonly [string, string])[];
  private readonly connections = new ConnectionSet<H2DriverConnection>();

  constructor(
    readonly options: TransportDriverOptions,
    readonly exchange: H2Exchange,
  ) {
    this.name = exchange.name;
    this.address = formatHostPort(options.host, options.port);
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.checks = new AnswerChecks(options.checkEvery);
    this.headers = [
      [':method', 'POST'],
      [':scheme', options.tls ? 'https' : 'http'],
      [':path', exchange.path],
      [':authority', this.address],
      ...exchange.headers,
    ];
  }

  connect(policy: ConnectionPolicy): Promise<DriverConnection[]> {
    return this.connections.open(policy.connections, () => new H2DriverConnection(this));
  }

  async close(): Promise<void> {
    this.connections.close();
  }
}
