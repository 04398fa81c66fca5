import { httpStatusOf, type StatusCodeName } from './status-codes.js';

/**
 * Why a request failed, beyond its code. Some reasons refine the HTTP status:
 * `PAYLOAD_TOO_LARGE` keeps the gRPC code RESOURCE_EXHAUSTED but answers HTTP 413,
 * as a REST client expects for size limits.
 */
export type ErrorReason =
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'ENGINE_UNAVAILABLE'
  | 'REQUEST_TIMEOUT';

const httpStatusByReason: Partial<Record<ErrorReason, number>> = {
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // The client did not send its request in time (HTTP/1.1's requestTimeout answers the same).
  REQUEST_TIMEOUT: 408,
};

/** The one error type of the service: every failure a client can see is one of these. */
export class ServiceError extends Error {
  readonly code: StatusCodeName;
  readonly reason: ErrorReason | undefined;

  constructor(code: StatusCodeName, message: string, reason?: ErrorReason) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.reason = reason;
  }

  get httpStatus(): number {
    return (this.reason && httpStatusByReason[this.reason]) ?? httpStatusOf(this.code);
  }

  toJSON(): { code: StatusCodeName; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function invalidArgument(message: string): ServiceError {
  return new ServiceError('INVALID_ARGUMENT', message);
}

export function payloadTooLarge(message: string): ServiceError {
  return new ServiceError('RESOURCE_EXHAUSTED', message, 'PAYLOAD_TOO_LARGE');
}

/** Wraps anything thrown by code we do not own, so that no raw exception reaches a client. */
export function toServiceError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ServiceError('INTERNAL', `internal error: ${message}`);
}
