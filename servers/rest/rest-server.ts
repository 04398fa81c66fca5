import Fastify, { type FastifyInstance } from 'fastify';
import { transportMessageLimit } from '../core/limits.js';
import { ServiceError } from '../core/service-error.js';
import type { SpeechService } from '../core/speech-service.js';
import type { RunningServer } from '../grpc/grpc-server.js';
import { restErrorHandler, restNotFoundHandler } from './rest-errors.js';
import { streamingRoute } from './streaming-route.js';
import { unaryRoutes } from './unary-routes.js';

export interface RestServerOptions {
  readonly service: SpeechService;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}

/** The REST app, ready but not listening (tests inject into it). */
export function buildRestApp(service: SpeechService): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: transportMessageLimit(service.limits, 'base64'),
    forceCloseConnections: true,
    // Strict: Fastify's defaults would coerce "a" into ["a"] and drop unknown keys.
    ajv: {
      customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: true },
    },
  });
  // JSON routes answer 415 to other bodies, rather than parsing text into a string first.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(restErrorHandler);
  app.setNotFoundHandler(restNotFoundHandler);
  app.register(async (scope) => unaryRoutes(scope, service));
  app.register(async (scope) => streamingRoute(scope, service));
  return app;
}

export async function startRestServer(options: RestServerOptions): Promise<RunningServer> {
  const app = buildRestApp(options.service);
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServiceError(
      'FAILED_PRECONDITION',
      `REST server cannot listen on ${options.host}:${options.port}: ${reason} (is the port already in use? pick another with --rest-port)`,
    );
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { host: options.host, port, close: () => app.close() };
}
