import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PresentedCredentials } from '../core/api-keys.js';
import type { Admission, RequestGate } from '../core/request-gate.js';

const admissions = new WeakMap<FastifyRequest, Admission>();

/** Routes outside the gate: health checks answer load balancers, which hold no key. */
const ungated = new Set(['/healthz']);
/** Routes whose handlers read the body as it arrives. */
const streamingRoutes = new Set(['/v1/transcribe::stream']);
/** Routes that need a key but spend no quota and are never shed. */
const authOnly = new Set(['/v1/usage']);

function credentialsOf(request: FastifyRequest): PresentedCredentials {
  const apiKey = request.headers['x-api-key'];
  return {
    authorization: request.headers.authorization,
    apiKey: Array.isArray(apiKey) ? apiKey[0] : apiKey,
  };
}

/** A body without Content-Length (HTTP/2, chunked) is counted as it passes. */
function countingStream(admission: Admission): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      admission.bytesIn += chunk.length;
      done(null, chunk);
    },
  });
}

/**
 * The request gate (servers/core/request-gate.ts) on the REST routes: admitted on
 * arrival, bytes counted on the way in and out, finished when the answer has gone.
 * A refusal is thrown, so that the one error handler answers it (rest-errors.ts).
 */
export function restGate(app: FastifyInstance, gate: RequestGate): void {
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    // Unknown routes answer 404 whoever asks, and spend nothing.
    if (route === undefined || ungated.has(route)) return;
    if (authOnly.has(route)) {
      gate.authenticate(credentialsOf(request));
      return;
    }
    admissions.set(request, gate.admit(credentialsOf(request)));
  });
  app.addHook('preParsing', async (request, _reply, payload) => {
    const admission = admissions.get(request);
    if (!admission) return payload;
    const length = request.headers['content-length'];
    if (length !== undefined && /^\d+$/.test(length)) {
      admission.bytesIn = Number(length);
      return payload;
    }
    // A stream's body is read by its route, which counts it (noteBytesIn): a pipe here
    // would hold the upload when the route fails early, where Fastify otherwise drains it.
    if (streamingRoutes.has(request.routeOptions.url ?? '')) return payload;
    return payload.pipe(countingStream(admission));
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    const admission = admissions.get(request);
    if (admission && (typeof payload === 'string' || Buffer.isBuffer(payload))) {
      admission.bytesOut += Buffer.byteLength(payload);
    }
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    admissions.get(request)?.finish(reply.statusCode < 400);
  });
  app.addHook('onRequestAbort', async (request) => {
    admissions.get(request)?.finish(false);
  });
}

/** Notes an answer of the service for the ledger (its seconds of audio; the bytes of a streamed line). */
export function noteAnswer(request: FastifyRequest, message: unknown, bytes = 0): void {
  admissions.get(request)?.noteResponse(message, bytes);
}

/** Counts body bytes a streaming route read itself. */
export function noteBytesIn(request: FastifyRequest, bytes: number): void {
  const admission = admissions.get(request);
  if (admission) admission.bytesIn += bytes;
}
