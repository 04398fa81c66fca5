import { Metadata, type StatusObject, type status } from '@grpc/grpc-js';
import { toServiceError } from '../core/service-error.js';
import { StatusCode } from '../core/status-codes.js';

/** A `ServiceError` (or anything thrown) as the status grpc-js sends. */
export function toGrpcStatus(error: unknown): StatusObject {
  const serviceError = toServiceError(error);
  return {
    code: StatusCode[serviceError.code] as status,
    details: serviceError.message,
    metadata: new Metadata(),
  };
}
