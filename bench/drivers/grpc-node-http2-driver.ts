/**
 * The gRPC transport driver on node:http2 instead of our own HTTP/2 client: the same
 * requests, outcomes and checks as grpc-h2. It is the cross-check of grpc-h2's framing,
 * and shows what node:http2 costs a client: several times h2load's CPU per request,
 * enough to make the driver, not the server, the limit (see bench/ceiling).
 */
import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  constants,
  connect as http2Connect,
  type IncomingHttpHeaders,
} from 'node:http2';

import { connect as netConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { codeNameOf } from '../../servers/core/status-codes.js';
import { formatHostPort } from '../../servers/host-port.js';
import { ConnectionSet } from './connection-set.js';
import type { ConnectionPolicy, Driver, DriverConnection, Outcome } from './driver.js';
import { checkGrpcBody } from './grpc-h2-driver.js';
import { SocketBytes } from './socket-bytes.js';
import {
  AnswerChecks,
  defaultTimeoutMs,
  failed,
  ok,
  sweepEveryMs,
  type TransportDriverOptions,
  timedOut,
} from './transport-options.js';

/** Our receive windows: large enough that no answer waits for a WINDOW_UPDATE. */
const streamWindowBytes = 16 * 1024 * 1024;
const sessionWindowBytes = 64 * 1024 * 1024;
const unavailable = failed('UNAVAILABLE');

interface Call {
  readonly deadline: number;
  readonly stream: ClientHttp2Stream;
  expired: boolean;
}

class NodeHttp2Connection implements DriverConnection {
  private session: ClientHttp2Session | undefined;
  private readonly sockets = new SocketBytes();
  private readonly calls = new Set<Call>();
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly driver: GrpcNodeHttp2Driver,
    private readonly inFlight: number,
  ) {
    this.sweeper = setInterval(() => this.expire(), sweepEveryMs(driver.timeoutMs));
    this.sweeper.unref();
  }

  get bytesWritten(): number {
    return this.sockets.written;
  }

  get bytesRead(): number {
    return this.sockets.read;
  }

  /** Resolves once the HTTP/2 preface is exchanged; rejects if the server cannot be reached. */
  open(): Promise<void> {
    const session = this.currentSession();
    return new Promise((resolve, reject) => {
      session.once('connect', () => resolve());
      session.once('close', () => reject(new Error(`gRPC server ${this.driver.authority} is not reachable`)));
    });
  }

  private currentSession(): ClientHttp2Session {
    const existing = this.session;
    if (existing && !existing.closed && !existing.destroyed) return existing;
    this.sockets.retire();
    const { host, port } = this.driver.options;
    const session = http2Connect(this.driver.authority, {
      // The default of 100 would hold back our streams until the server's SETTINGS arrive.
      peerMaxConcurrentStreams: Math.max(100, this.inFlight),
      maxSessionMemory: 1024,
      settings: { enablePush: false, initialWindowSize: streamWindowBytes },
      createConnection: () => {
        this.sockets.current = netConnect({ host, port, noDelay: true });
        return this.sockets.current;
      },
    });
    session.on('connect', () => session.setLocalWindowSize(sessionWindowBytes));
    // Errors reach every open stream as a close without a status: UNAVAILABLE there.
    session.on('error', () => {});
    this.session = session;
    return session;
  }

  send(): Promise<Outcome> {
    return new Promise((resolve) => this.start(resolve));
  }

  private start(resolve: (outcome: Outcome) => void): void {
    if (this.closed) {
      resolve(failed('CANCELLED'));
      return;
    }
    const driver = this.driver;
    let stream: ClientHttp2Stream;
    try {
      stream = this.currentSession().request(driver.headers);
    } catch {
      // A session that received GOAWAY refuses new streams; the next send opens a new one.
      this.session?.destroy();
      resolve(unavailable);
      return;
    }
    const call: Call = { deadline: performance.now() + driver.timeoutMs, stream, expired: false };
    this.calls.add(call);
    let grpcStatus: string | undefined;
    const chunks: Buffer[] | undefined = driver.checks.nextIsChecked() ? [] : undefined;
    stream.on('response', (headers: IncomingHttpHeaders) => {
      // Trailers-only: an error answered in the headers frame alone.
      const status = headers['grpc-status'];
      if (typeof status === 'string') grpcStatus = status;
    });
    stream.on('trailers', (trailers: IncomingHttpHeaders) => {
      const status = trailers['grpc-status'];
      if (typeof status === 'string') grpcStatus = status;
    });
    if (chunks) stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    else stream.resume();
    stream.on('error', () => {});
    stream.on('close', () => {
      this.calls.delete(call);
      if (call.expired) return resolve(timedOut);
      if (grpcStatus === undefined) return resolve(unavailable);
      if (grpcStatus !== '0') return resolve(failed(codeNameOf(Number(grpcStatus))));
      if (!chunks) return resolve(ok);
      resolve(driver.checks.verdict(checkGrpcBody(chunks, driver.checkMessage)));
    });
    stream.end(driver.options.payload.grpcFrame);
  }

  private expire(): void {
    const now = performance.now();
    for (const call of this.calls) {
      if (call.deadline > now) break;
      if (call.expired) continue;
      call.expired = true;
      call.stream.close(constants.NGHTTP2_CANCEL);
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    this.session?.destroy();
    this.sockets.retire();
  }
}

export class GrpcNodeHttp2Driver implements Driver {
  readonly name = 'grpc-node-h2';
  readonly family = 'transport';
  readonly authority: string;
  readonly timeoutMs: number;
  readonly checks: AnswerChecks;
  /** Built once: node:http2 copies the headers of each request, so sharing them is safe. */
  readonly headers: Readonly<Record<string, string>>;
  readonly checkMessage: (message: Uint8Array) => string | undefined;
  private readonly connections = new ConnectionSet<NodeHttp2Connection>();

  constructor(readonly options: TransportDriverOptions) {
    this.authority = `http://${formatHostPort(options.host, options.port)}`;
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.checks = new AnswerChecks(options.checkEvery);
    this.headers = {
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: options.payload.grpcPath,
      'content-type': 'application/grpc',
      te: 'trailers',
    };
    this.checkMessage = (message) => options.payload.checkProtobuf(message);
  }

  connect(policy: ConnectionPolicy): Promise<DriverConnection[]> {
    return this.connections.open(
      policy.connections,
      () => new NodeHttp2Connection(this, policy.inFlightPerConnection),
    );
  }

  async close(): Promise<void> {
    this.connections.close();
  }
}
