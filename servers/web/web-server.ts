import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { SpeechService as SpeechServiceDesc } from '../../proto/gen-es/speech/v1/speech_pb.js';
import { withRequestGate } from '../connect/connect-gate.js';
import { speechServiceImpl } from '../connect/speech-service-impl.js';
import {
  type ConnectionLimits,
  connectionsCheckingIntervalMs,
  defaultConnectionLimits,
} from '../connection-limits.js';
import { transportMessageLimit } from '../core/limits.js';
import { RequestGate } from '../core/request-gate.js';
import type { SpeechService } from '../core/speech-service.js';
import type { RunningServer } from '../grpc/grpc-server.js';
import { listenOrRefuse } from '../listen-or-refuse.js';
import { nodeTlsServerOptions, type ServerTls } from '../tls/server-tls.js';
import { corsResponseHeaders, isPreflight, preflightHeaders } from './cors.js';
import { webGatedProtocol } from './web-gate.js';

export interface WebServerOptions {
  readonly service: SpeechService;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly tls?: ServerTls;
  readonly gate?: RequestGate;
  readonly connectionLimits?: ConnectionLimits;
}

/**
 * The protocols a browser can speak, on one HTTP/1.1 server: the Connect protocol (unary
 * JSON or protobuf, and streaming) and gRPC-Web (trailers in the body), both from
 * connect-node's handlers behind node:http, around the same core and request gate as
 * every other server, with CORS for pages of other origins.
 */
export async function startWebServer(options: WebServerOptions): Promise<RunningServer> {
  const gate = options.gate ?? new RequestGate();
  const gated = withRequestGate(gate, webGatedProtocol);
  const handler = connectNodeAdapter({
    grpc: false,
    grpcWeb: true,
    connect: true,
    readMaxBytes: transportMessageLimit(options.service.limits, 'binary'),
    routes: (router) => {
      router.service(SpeechServiceDesc, speechServiceImpl(options.service, gate));
      // The adapter reads router.handlers once this callback returns.
      router.handlers.splice(0, Infinity, ...router.handlers.map((handler) => gated(handler)));
    },
  });
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    if (request.headers.origin !== undefined) {
      if (isPreflight(request.method, request.headers)) {
        response.writeHead(204, preflightHeaders()).end();
        return;
      }
      for (const [name, value] of Object.entries(corsResponseHeaders())) response.setHeader(name, value);
    }
    handler(request, response);
  };
  const limits = options.connectionLimits ?? defaultConnectionLimits;
  const serverOptions = {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    keepAliveTimeout: limits.idleTimeoutMs,
    connectionsCheckingInterval: connectionsCheckingIntervalMs(limits),
  };
  const server = options.tls
    ? createHttpsServer({ ...serverOptions, ...nodeTlsServerOptions(options.tls) }, listener)
    : createServer(serverOptions, listener);
  await listenOrRefuse(server, 'web server', '--web-port', options.host, options.port);
  return {
    host: options.host,
    port: (server.address() as AddressInfo).port,
    // Idle keep-alive connections close now; calls in flight get a bounded wait.
    close: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), 2_000);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
