import { type Code, ConnectError } from '@connectrpc/connect';
import type { UniversalServerRequest } from '@connectrpc/connect/protocol';
import { codeToHttpStatus, errorToJsonBytes } from '@connectrpc/connect/protocol-connect';
import { trailerFlag, trailerParse, trailerSerialize } from '@connectrpc/connect/protocol-grpc-web';
import type { GatedProtocol } from '../connect/connect-gate.js';
import { GrpcFrameCounter, type MessageByteCounter } from '../connect/grpc-frame-counter.js';
import { PushbackError, pushbackTrailer, retryAfterSeconds } from '../core/pushback.js';
import { toServiceError } from '../core/service-error.js';
import { StatusCode } from '../core/status-codes.js';

/** A Connect unary body is the message itself, unframed. */
class WholeBody implements MessageByteCounter {
  messageBytes = 0;
  push(chunk: Uint8Array): void {
    this.messageBytes += chunk.length;
  }
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

/** The HTTP headers of a pushback, as the REST server sends them. */
function pushbackHeaders(error: unknown, header: Headers): Headers {
  if (error instanceof PushbackError) {
    header.set('retry-after', String(retryAfterSeconds(error.retryAfterMs)));
    header.set('retry-after-ms', String(error.retryAfterMs));
  }
  return header;
}

/** Connect unary: the code in the HTTP status and a JSON error body (`{"code":"unauthenticated",...}`). */
const gatedConnectUnary: GatedProtocol = {
  refusal(_request, error) {
    const serviceError = toServiceError(error);
    const code = StatusCode[serviceError.code] as Code;
    return {
      status: codeToHttpStatus(code),
      header: pushbackHeaders(error, new Headers({ 'content-type': 'application/json' })),
      body: once(errorToJsonBytes(new ConnectError(serviceError.message, code), undefined)),
    };
  },
  counter: () => new WholeBody(),
  succeeded: (response) => response.status === 200,
};

/** gRPC-Web: HTTP 200 and the status in a trailer frame at the end of the body. */
const gatedGrpcWeb: GatedProtocol = {
  refusal(request, error) {
    const serviceError = toServiceError(error);
    const trailer = new Headers({
      'grpc-status': String(StatusCode[serviceError.code]),
      'grpc-message': encodeURIComponent(serviceError.message),
    });
    if (error instanceof PushbackError) trailer.set(pushbackTrailer, String(error.retryAfterMs));
    const fields = trailerSerialize(trailer);
    const frame = new Uint8Array(5 + fields.length);
    frame[0] = trailerFlag;
    new DataView(frame.buffer).setUint32(1, fields.length);
    frame.set(fields, 5);
    return {
      status: 200,
      header: new Headers({
        'content-type': request.header.get('content-type') ?? 'application/grpc-web+proto',
      }),
      body: once(frame),
    };
  },
  counter: () => new GrpcFrameCounter(),
  succeeded: (_response, outgoing) =>
    trailerParse((outgoing as GrpcFrameCounter).trailerBytes).get('grpc-status') === '0',
};

/**
 * Which of the web server's protocols a request speaks, by its content type (as connect
 * decides). The service's one streaming RPC is bidirectional, which connect-node serves
 * over HTTP/2 only (505 here), so Connect's streaming form needs no refusal of its own.
 */
export function webGatedProtocol(request: UniversalServerRequest): GatedProtocol {
  const type = request.header.get('content-type') ?? '';
  return type.startsWith('application/grpc-web') ? gatedGrpcWeb : gatedConnectUnary;
}
