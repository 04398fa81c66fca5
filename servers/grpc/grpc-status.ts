import { Metadata, type StatusObject, type status } from '@grpc/grpc-js';
import { PushbackError, pushbackTrailer } from '../core/pushback.js';
import { toServiceError } from '../core/service-error.js';
import { StatusCode } from '../core/status-codes.js';

/** A `ServiceError` (or anything thrown) as the status grpc-js sends; a retry delay rides in the trailers. */
export function toGrpcStatus(error: unknown): StatusObject {
  const serviceError = toServiceError(error);
  const metadata = new Metadata();
  if (serviceError instanceof PushbackError) metadata.set(pushbackTrailer, String(serviceError.retryAfterMs));
  return {
    code: StatusCode[serviceError.code] as status,
    details: serviceError.message,
    metadata,
  };
}
