import { createSecureServer, createServer, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { SpeechService as SpeechServiceDesc } from '../../proto/gen-es/speech/v1/speech_pb.js';
import { type ConnectionLimits, defaultConnectionLimits } from '../connection-limits.js';
import { transportMessageLimit } from '../core/limits.js';
import { RequestGate } from '../core/request-gate.js';
import type { SpeechService } from '../core/speech-service.js';
import type { RunningServer } from '../grpc/grpc-server.js';
import { listenOrRefuse } from '../listen-or-refuse.js';
import { nodeTlsServerOptions, type ServerTls } from '../tls/server-tls.js';
import { applyHttp2Windows, type Http2Windows } from '../tuning.js';
import { withRequestGate } from './connect-gate.js';
import { withGrpcJsCompatibleStatus } from './grpc-trailers.js';
import { applySessionLimits } from './session-limits.js';
import { speechServiceImpl } from './speech-service-impl.js';
import { guardStreams } from './stream-guard.js';

export interface ConnectServerOptions {
  readonly service: SpeechService;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Without it, cleartext h2c; with it, h2 negotiated by ALPN. */
  readonly tls?: ServerTls;
  /** Auth, rate limits, load shedding and the usage ledger (default: none of the limits, a ledger). */
  readonly gate?: RequestGate;
  /** Connection idle and age limits, as grpc-js has them (default: defaultConnectionLimits). */
  readonly connectionLimits?: ConnectionLimits;
  /** Receive windows above node's 64 KiB (tuning `tuned`); node's defaults without. */
  readonly http2Windows?: Http2Windows;
}

/** How long close() waits for calls in flight before it drops their connections. */
const forceCloseAfterMs = 2_000;

/**
 * The gRPC protocol served by connect-es on node:http2 (cleartext h2c), next to
 * grpc-js's server on the same core: the difference between the two is the
 * implementation alone. Only gRPC is enabled (see grpc-trailers.ts for why).
 */
export async function startConnectServer(options: ConnectServerOptions): Promise<RunningServer> {
  const gate = options.gate ?? new RequestGate();
  const gated = withRequestGate(gate);
  const handler = connectNodeAdapter({
    grpc: true,
    grpcWeb: false,
    connect: false,
    readMaxBytes: transportMessageLimit(options.service.limits, 'binary'),
    routes: (router) => {
      router.service(SpeechServiceDesc, speechServiceImpl(options.service, gate));
      // The adapter reads router.handlers once this callback returns.
      router.handlers.splice(
        0,
        Infinity,
        ...router.handlers.map((handler) => gated(withGrpcJsCompatibleStatus(handler))),
      );
    },
  });
  // The HTTP/2 limits grpc-js's server sets for itself, so that node's defaults
  // (10 MB of session memory) do not make the two servers differ.
  const windows = options.http2Windows;
  const limits = {
    maxSessionMemory: Number.MAX_SAFE_INTEGER,
    maxSendHeaderBlockLength: Number.MAX_SAFE_INTEGER,
    ...(windows ? { settings: { initialWindowSize: windows.streamBytes } } : {}),
  };
  const guarded = guardStreams(handler);
  const server = options.tls
    ? createSecureServer({ ...limits, ...nodeTlsServerOptions(options.tls) }, guarded)
    : createServer(limits, guarded);
  applySessionLimits(server, options.connectionLimits ?? defaultConnectionLimits);
  applyHttp2Windows(server, windows);
  const sessions = new Set<Http2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });

  await listenOrRefuse(server, 'connect server', '--connect-port', options.host, options.port);
  return {
    host: options.host,
    port: (server.address() as AddressInfo).port,
    // Like grpc-js's tryShutdown: no new connections, calls in flight finish (each
    // session's GOAWAY lets open streams complete), and a bounded wait after which
    // the remaining connections are dropped. Unlike grpc-js, connect stops reading a
    // request it refused mid-body (over readMaxBytes), so that stream stays open
    // until the client gives up or this force-close ends it.
    close: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          for (const session of sessions) session.destroy();
        }, forceCloseAfterMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        for (const session of sessions) session.close();
      }),
  };
}
