import { Code, ConnectError } from '@connectrpc/connect';
import { invalidArgument, ServiceError, toServiceError } from '../core/service-error.js';
import { codeNameOf, StatusCode } from '../core/status-codes.js';

/** The prefix connect (its `createBinarySerialization`) gives a request that does not parse. */
const parseFailurePrefix = 'parse binary: ';

/** connect's own error for request bytes that are no protobuf message; it sends it as INTERNAL. */
export function isParseFailure(code: Code, message: string): boolean {
  return code === Code.Internal && message.startsWith(parseFailurePrefix);
}

/** The error grpc-js's adapter answers to the same bytes (see servers/grpc/decode-guard.ts). */
export function malformedMessage(message: string): ServiceError {
  return invalidArgument(
    `request is not a valid protobuf message: ${message.slice(parseFailurePrefix.length)}`,
  );
}

/**
 * A `ServiceError` (or anything thrown) as the error connect sends. connect's `Code`
 * numbers are gRPC's canonical codes, so the shared table maps straight across, and
 * the trailers carry the message unprefixed (`rawMessage`), as grpc-js sends it.
 */
export function toConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  const serviceError = toServiceError(error);
  return new ConnectError(serviceError.message, StatusCode[serviceError.code] as Code);
}

/**
 * What connect raised while reading a request (size limit, bad bytes, a cancelled
 * call) as a `ServiceError`, so that the core passes its code on instead of
 * wrapping it as INTERNAL.
 */
export function fromConnectError(error: unknown): unknown {
  if (!(error instanceof ConnectError)) return error;
  if (isParseFailure(error.code, error.rawMessage)) return malformedMessage(error.rawMessage);
  return new ServiceError(codeNameOf(error.code), error.rawMessage);
}
