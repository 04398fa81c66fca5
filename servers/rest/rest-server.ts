import Fastify, { type FastifyInstance } from 'fastify';
import {
  type ConnectionLimits,
  connectionsCheckingIntervalMs,
  defaultConnectionLimits,
} from '../connection-limits.js';
import { transportMessageLimit } from '../core/limits.js';
import { RequestGate } from '../core/request-gate.js';
import { ServiceError } from '../core/service-error.js';
import type { SpeechService } from '../core/speech-service.js';
import type { RunningServer } from '../grpc/grpc-server.js';
import { nodeTlsServerOptions, type ServerTls } from '../tls/server-tls.js';
import { applyHttp2Windows, type Http2Windows } from '../tuning.js';
import { restCors } from './rest-cors.js';
import { restErrorHandler, restNotFoundHandler } from './rest-errors.js';
import { restGate } from './rest-gate.js';
import { streamDeadline } from './stream-deadline.js';
import { streamingRoute } from './streaming-route.js';
import { unaryRoutes } from './unary-routes.js';
import { usageRoute } from './usage-route.js';

export interface RestServerOptions {
  readonly service: SpeechService;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** HTTP/2 without TLS (h2c, prior knowledge) instead of HTTP/1.1. */
  readonly http2?: boolean;
  /** HTTPS; with `http2`, HTTP/2 negotiated by ALPN (h2 only, no HTTP/1.1 fallback). */
  readonly tls?: ServerTls;
  /** Auth, rate limits, load shedding and the usage ledger (default: none of the limits, a ledger). */
  readonly gate?: RequestGate;
  /** Request and idle timeouts (default: defaultConnectionLimits). */
  readonly connectionLimits?: ConnectionLimits;
  /** HTTP/2 only: receive windows above node's 64 KiB (tuning `tuned`). */
  readonly http2Windows?: Http2Windows;
}

/** The REST app, ready but not listening (tests inject into it). */
export function buildRestApp(
  service: SpeechService,
  http2 = false,
  tls?: ServerTls,
  gate: RequestGate = new RequestGate(),
  limits: ConnectionLimits = defaultConnectionLimits,
  windows?: Http2Windows,
): FastifyInstance {
  const windowSettings = http2 && windows ? { settings: { initialWindowSize: windows.streamBytes } } : {};
  const options = {
    logger: false,
    // Fastify turns node's request timeout off (0) by default; a slow client (slowloris)
    // would then hold a connection for ever. requestTimeout only fires if node checks
    // for it often enough (connectionsCheckingInterval, 30 s by default), and it
    // needs headersTimeout no larger than itself.
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.idleTimeoutMs,
    http2SessionTimeout: limits.idleTimeoutMs,
    http: http2
      ? {}
      : {
          requestTimeout: limits.requestTimeoutMs,
          headersTimeout: limits.headersTimeoutMs,
          connectionsCheckingInterval: connectionsCheckingIntervalMs(limits),
        },
    bodyLimit: transportMessageLimit(service.limits, 'base64'),
    forceCloseConnections: true,
    // Strict: Fastify's defaults would coerce "a" into ["a"] and drop unknown keys.
    ajv: {
      customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: true },
    },
  };
  // The routes read only headers, query and body, which HTTP/2 requests have in the same
  // shapes; typing every route over both server kinds would add generics and nothing else.
  const https = tls
    ? { https: { ...nodeTlsServerOptions(tls), ...(http2 ? { allowHTTP1: false, ...windowSettings } : {}) } }
    : {};
  // Fastify hands `http` to http2.createServer for h2c (its types know only node:http's options).
  const app = http2
    ? (Fastify({ ...options, ...https, http2: true, http: windowSettings } as typeof options & {
        http2: true;
      }) as unknown as FastifyInstance)
    : (Fastify({ ...options, ...https }) as unknown as FastifyInstance);
  // JSON routes answer 415 to other bodies, rather than parsing text into a string first.
  app.removeContentTypeParser('text/plain');
  if (http2) {
    app.addHook('onRequest', streamDeadline(limits.requestTimeoutMs));
    applyHttp2Windows(app.server as unknown as Parameters<typeof applyHttp2Windows>[0], windows);
  }
  app.setErrorHandler(restErrorHandler);
  app.setNotFoundHandler(restNotFoundHandler);
  restCors(app);
  restGate(app, gate);
  app.register(async (scope) => usageRoute(scope, gate));
  app.register(async (scope) => unaryRoutes(scope, service));
  app.register(async (scope) => streamingRoute(scope, service));
  return app;
}

export async function startRestServer(options: RestServerOptions): Promise<RunningServer> {
  const app = buildRestApp(
    options.service,
    options.http2 ?? false,
    options.tls,
    options.gate,
    options.connectionLimits,
    options.http2Windows,
  );
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServiceError(
      'FAILED_PRECONDITION',
      `REST server cannot listen on ${options.host}:${options.port}: ${reason} (is the port already in use? pick another with ${options.http2 ? '--rest-h2-port' : '--rest-port'})`,
    );
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { host: options.host, port, close: () => app.close() };
}
