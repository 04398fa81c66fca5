/**
 * gRPC at the transport level, the counterpart of autocannon for REST: no gRPC library,
 * pre-built framed requests, many streams per HTTP/2 connection. The HTTP/2 client is
 * our own frame-level one (h2/), because node:http2 costs the client several times what
 * h2load does per request and then the driver, not the server, sets the numbers (see
 * bench/ceiling). grpc-node-http2-driver.ts is the same driver on node:http2.
 */
import { performance } from 'node:perf_hooks';
import { codeNameOf } from '../../servers/core/status-codes.js';
import { formatHostPort } from '../../servers/host-port.js';
import { ConnectionSet } from './connection-set.js';
import type { ConnectionPolicy, Driver, DriverConnection, Outcome } from './driver.js';
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

/** The answer in a checked body: one uncompressed length-prefixed message. */
export function checkGrpcBody(
  chunks: readonly Buffer[],
  check: (message: Uint8Array) => string | undefined,
): string | undefined {
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  if (body.length < 5) return `the answer holds no gRPC message (${body.length} bytes)`;
  if (body[0] !== 0) return 'the answer is compressed although no compression was offered';
  const length = body.readUInt32BE(1);
  if (body.length !== 5 + length)
    return `the answer frame says ${length} bytes but carries ${body.length - 5}`;
  return check(body.subarray(5));
}

/** One request: its stream's handler, and what is needed to settle it. */
class GrpcCall implements H2StreamHandler {
  streamId = 0;
  grpcStatus: string | undefined = undefined;
  expired = false;
  readonly chunks: Buffer[] | undefined;

  constructor(
    readonly owner: GrpcH2Connection,
    readonly connection: H2ClientConnection,
    readonly deadline: number,
    checked: boolean,
    readonly resolve: (outcome: Outcome) => void,
  ) {
    this.chunks = checked ? [] : undefined;
  }

  get wantsData(): boolean {
    return this.chunks !== undefined;
  }

  /** In the response headers (trailers-only answers) or in the trailers. */
  onHeader(name: string, value: string): void {
    if (name === 'grpc-status') this.grpcStatus = value;
  }

  onData(chunk: Buffer): void {
    this.chunks?.push(chunk);
  }

  onEnd(end: StreamEnd): void {
    this.owner.settle(this, end);
  }
}

class GrpcH2Connection implements DriverConnection {
  private current: H2ClientConnection | undefined;
  private readonly live = new Set<H2ClientConnection>();
  private closedWritten = 0;
  private closedRead = 0;
  private readonly calls = new Set<GrpcCall>();
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly driver: GrpcH2Driver) {
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

  /** Resolves once the server's SETTINGS arrived; rejects if it cannot be reached in time. */
  async open(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`gRPC server ${this.driver.address} did not answer in ${this.driver.timeoutMs} ms`),
          ),
        this.driver.timeoutMs,
      );
    });
    try {
      await Promise.race([this.connection().ready, timeout]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`gRPC server ${this.driver.address} is not reachable: ${reason}`);
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
      onClosed: (closed) => {
        this.live.delete(closed);
        this.closedWritten += closed.bytesWritten;
        this.closedRead += closed.bytesRead;
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
      const call = new GrpcCall(this, connection, deadline, driver.checks.nextIsChecked(), resolve);
      this.calls.add(call);
      connection.request(driver.options.payload.grpcFrame, call);
    });
  }

  settle(call: GrpcCall, end: StreamEnd): void {
    this.calls.delete(call);
    call.resolve(this.outcomeOf(call, end));
  }

  private outcomeOf(call: GrpcCall, end: StreamEnd): Outcome {
    if (call.expired) return timedOut;
    // Without a grpc-status the exchange failed below gRPC: a reset, a lost connection, an HTTP error.
    if (end !== 'ended' || call.grpcStatus === undefined) return unavailable;
    if (call.grpcStatus !== '0') return failed(codeNameOf(Number(call.grpcStatus)));
    if (!call.chunks) return ok;
    const { checks, options } = this.driver;
    return checks.verdict(checkGrpcBody(call.chunks, (message) => options.payload.checkProtobuf(message)));
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

export class GrpcH2Driver implements Driver {
  readonly name = 'grpc-h2';
  readonly family = 'transport';
  readonly address: string;
  readonly timeoutMs: number;
  readonly checks: AnswerChecks;
  /** What grpc-js sends, less its user-agent and timeout. */
  readonly headers: readonly (readonly [string, string])[];
  private readonly connections = new ConnectionSet<GrpcH2Connection>();

  constructor(readonly options: TransportDriverOptions) {
    this.address = formatHostPort(options.host, options.port);
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.checks = new AnswerChecks(options.checkEvery);
    this.headers = [
      [':method', 'POST'],
      [':scheme', 'http'],
      [':path', options.payload.grpcPath],
      [':authority', this.address],
      ['content-type', 'application/grpc'],
      ['te', 'trailers'],
    ];
  }

  connect(policy: ConnectionPolicy): Promise<DriverConnection[]> {
    return this.connections.open(policy.connections, () => new GrpcH2Connection(this));
  }

  async close(): Promise<void> {
    this.connections.close();
  }
}
