import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PushbackError, retryAfterSeconds } from '../core/pushback.js';
import { ServiceError } from '../core/service-error.js';

/** Fastify's own errors, as the service's error model. */
function fromFastifyError(error: FastifyError): ServiceError {
  if (error.validation) return new ServiceError('INVALID_ARGUMENT', `invalid request: ${error.message}`);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ServiceError(
        'RESOURCE_EXHAUSTED',
        `request body is too large: ${error.message}`,
        'PAYLOAD_TOO_LARGE',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ServiceError('INVALID_ARGUMENT', `${error.message}`, 'UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ServiceError('INVALID_ARGUMENT', `request body is not valid JSON: ${error.message}`);
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return new ServiceError('INVALID_ARGUMENT', error.message);
  return new ServiceError('INTERNAL', `internal error: ${error.message}`);
}

export function toServiceErrorFromRest(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  if (error instanceof Error && 'code' in error) return fromFastifyError(error as FastifyError);
  return new ServiceError(
    'INTERNAL',
    `internal error: ${error instanceof Error ? error.message : String(error)}`,
  );
}

/** Every error leaves as `{code, message}` with the HTTP status of its code. */
export function restErrorHandler(error: unknown, _request: FastifyRequest, reply: FastifyReply): void {
  const serviceError = toServiceErrorFromRest(error);
  if (serviceError instanceof PushbackError) {
    reply
      .header('retry-after', String(retryAfterSeconds(serviceError.retryAfterMs)))
      .header('retry-after-ms', String(serviceError.retryAfterMs));
  }
  reply.code(serviceError.httpStatus).send(serviceError.toJSON());
}

export function restNotFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  const error = new ServiceError('NOT_FOUND', `no route ${request.method} ${request.url}`);
  reply.code(error.httpStatus).send(error.toJSON());
}
