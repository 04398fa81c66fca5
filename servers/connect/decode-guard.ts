import { Code } from '@connectrpc/connect';
import type { UniversalHandler, UniversalServerRequest } from '@connectrpc/connect/protocol';
import { isParseFailure, malformedMessage } from './connect-status.js';

/**
 * connect answers INTERNAL when a request message does not parse, which would
 * blame the server for a client's malformed bytes; grpc-js's adapter answers
 * INVALID_ARGUMENT, and so must this one. A unary request is parsed before any
 * interceptor or implementation runs, so the only place to correct it is the gRPC
 * status in the trailers of the finished response. (A stream's messages are parsed
 * as the implementation reads them, and corrected there: see `fromConnectError`.)
 * Trailers are where gRPC carries the status; this is why the server speaks gRPC only.
 */
export function withMalformedRequestsAsInvalidArgument(handler: UniversalHandler): UniversalHandler {
  const guarded = async (request: UniversalServerRequest) => {
    const response = await handler(request);
    const trailer = response.trailer;
    const status = Number(trailer?.get('grpc-status'));
    const message = decodeURIComponent(trailer?.get('grpc-message') ?? '');
    if (trailer && isParseFailure(status as Code, message)) {
      const error = malformedMessage(message);
      trailer.set('grpc-status', String(Code.InvalidArgument));
      trailer.set('grpc-message', encodeURIComponent(error.message));
    }
    return response;
  };
  return Object.assign(guarded, handler);
}
