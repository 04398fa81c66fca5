import { ServiceError } from './service-error.js';
import type { StatusCodeName } from './status-codes.js';

/**
 * A refusal the client may retry after a while: rate limits, quotas and load
 * shedding. gRPC carries the delay as the `grpc-retry-pushback-ms` trailer (the
 * name gRPC's retry design uses), HTTP as `Retry-After` (whole seconds) and
 * `Retry-After-Ms` (the exact figure, for clients that read it).
 */
export class PushbackError extends ServiceError {
  readonly retryAfterMs: number;

  constructor(code: StatusCodeName, message: string, retryAfterMs: number) {
    super(code, message);
    this.retryAfterMs = Math.max(1, Math.ceil(retryAfterMs));
  }
}

export const pushbackTrailer = 'grpc-retry-pushback-ms';

/** `Retry-After` takes whole seconds: round up, so that a client waiting that long is never early. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}
