import type { FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '../core/service-error.js';

/**
 * node's requestTimeout exists for HTTP/1.1 only. Over HTTP/2 a client that sends a
 * request's headers and then its body a byte at a time (or never) would hold the
 * stream for as long as the session lives; this hook ends any request whose body has not
 * fully arrived within the request timeout with 408, as HTTP/1.1's requestTimeout does.
 */
export function streamDeadline(timeoutMs: number) {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const raw = request.raw;
    if (raw.readableEnded) {
      done();
      return;
    }
    const timer = setTimeout(() => {
      if (!raw.readableEnded)
        raw.destroy(
          new ServiceError(
            'DEADLINE_EXCEEDED',
            `the request body did not arrive within ${timeoutMs} ms (the server's --request-timeout-ms)`,
            'REQUEST_TIMEOUT',
          ),
        );
    }, timeoutMs);
    timer.unref();
    const clear = () => clearTimeout(timer);
    raw.once('end', clear);
    raw.once('close', clear);
    reply.raw.once('close', clear);
    done();
  };
}
