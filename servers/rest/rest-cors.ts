import type { FastifyInstance } from 'fastify';
import { corsResponseHeaders, isPreflight, preflightHeaders } from '../web/cors.js';

/**
 * CORS for pages of other origins (the browser family): before the request gate, so a
 * preflight needs no key and a refusal still reaches the page's script. Requests with
 * no `Origin` (every non-browser client) are untouched and pay one property read.
 */
export function restCors(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (request.headers.origin === undefined) return done();
    if (isPreflight(request.method, request.headers)) {
      reply.code(204).headers(preflightHeaders()).send();
      return;
    }
    reply.headers(corsResponseHeaders());
    done();
  });
}
