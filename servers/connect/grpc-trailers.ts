import { Code } from '@connectrpc/connect';
import type {
  UniversalHandler,
  UniversalServerRequest,
  UniversalServerResponse,
} from '@connectrpc/connect/protocol';
import { isParseFailure, malformedMessage } from './connect-status.js';

/**
 * connect answers INTERNAL when a request message does not parse, which would
 * blame the server for a client's malformed bytes; grpc-js's adapter answers
 * INVALID_ARGUMENT, and so must this one. A unary request is parsed before any
 * interceptor or implementation runs, so the status can only be corrected in the
 * trailers. (A stream's messages are parsed as the implementation reads them and
 * are corrected there: see `fromConnectError`.)
 */
function correctParseFailure(status: number, message: string): { status: number; message: string } {
  // A message flagged compressed on a call that names no grpc-encoding: the client's
  // framing is wrong, not the server (grpc-js does not answer INTERNAL to it either).
  if (status === Code.Internal && message.startsWith('received compressed envelope'))
    return {
      status: Code.InvalidArgument,
      message: 'request message has the compressed flag set, but the call names no grpc-encoding',
    };
  if (!isParseFailure(status as Code, message)) return { status, message };
  return { status: Code.InvalidArgument, message: malformedMessage(message).message };
}

/**
 * connect percent-encodes grpc-message with encodeURIComponent, grpc-js clients
 * decode it with decodeURI, which leaves `%3A`, `%2C`, `%3B`... in the text: a
 * grpc-js client would read "limit%3B the limit is 100". Both are valid readings
 * of the gRPC spec; re-encoding as grpc-js's own server does (encodeURI) gives the
 * benchmark's grpc-js clients the same message from either server.
 */
function fixTrailers(trailer: Headers): void {
  const encoded = trailer.get('grpc-message');
  const status = Number(trailer.get('grpc-status') ?? Number.NaN);
  if (encoded === null || Number.isNaN(status)) return;
  const corrected = correctParseFailure(status, decodeURIComponent(encoded));
  trailer.set('grpc-status', String(corrected.status));
  trailer.set('grpc-message', encodeURI(corrected.message));
}

/** The trailers are final only once the body has been sent. */
async function* thenFixTrailers(
  body: AsyncIterable<Uint8Array>,
  trailer: Headers,
): AsyncIterable<Uint8Array> {
  yield* body;
  fixTrailers(trailer);
}

/**
 * A handler whose gRPC status reads, to a grpc-js client, as grpc-js's server
 * would send it. Trailers are where gRPC carries the status: gRPC-web and the
 * Connect protocol put it elsewhere, which is one reason the server speaks gRPC only.
 */
export function withGrpcJsCompatibleStatus(handler: UniversalHandler): UniversalHandler {
  const wrapped = async (request: UniversalServerRequest): Promise<UniversalServerResponse> => {
    const response = await handler(request);
    const { body, trailer } = response;
    if (!trailer) return response;
    if (!body) {
      fixTrailers(trailer);
      return response;
    }
    return { ...response, body: thenFixTrailers(body, trailer) };
  };
  return Object.assign(wrapped, handler);
}
