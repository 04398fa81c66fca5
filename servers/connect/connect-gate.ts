import type {
  UniversalHandler,
  UniversalServerRequest,
  UniversalServerResponse,
} from '@connectrpc/connect/protocol';
import type { PresentedCredentials } from '../core/api-keys.js';
import { PushbackError, pushbackTrailer } from '../core/pushback.js';
import type { Admission, RequestGate } from '../core/request-gate.js';
import { toServiceError } from '../core/service-error.js';
import { StatusCode } from '../core/status-codes.js';
import { GrpcFrameCounter, type MessageByteCounter } from './grpc-frame-counter.js';

/**
 * connect copies the request headers into the implementation's context, so an
 * admission is found there by an id this wrapper sets (overwriting any a client sent).
 */
const admissionHeader = 'x-grpc-rest-bench-admission';
const admissions = new Map<string, Admission>();
let nextId = 0;

export function credentialsOf(header: Headers): PresentedCredentials {
  return {
    authorization: header.get('authorization') ?? undefined,
    apiKey: header.get('x-api-key') ?? undefined,
  };
}

/** Notes an answer of the service (its seconds of audio) from inside the implementation. */
export function noteAnswer(requestHeader: Headers, response: unknown): void {
  const id = requestHeader.get(admissionHeader);
  if (id !== null) admissions.get(id)?.noteResponse(response);
}

async function* nothing(): AsyncIterable<Uint8Array> {}

/**
 * A refusal as a gRPC answer with no message and the status in the trailers, as connect
 * itself ends a failed call (headers alone, without END_STREAM, read as a broken call to
 * grpc-js). The request body is left unread.
 */
function refusal(request: UniversalServerRequest, error: unknown): UniversalServerResponse {
  const serviceError = toServiceError(error);
  const trailer = new Headers({
    'grpc-status': String(StatusCode[serviceError.code]),
    'grpc-message': encodeURI(serviceError.message),
  });
  if (serviceError instanceof PushbackError) trailer.set(pushbackTrailer, String(serviceError.retryAfterMs));
  return {
    status: 200,
    header: new Headers({ 'content-type': request.header.get('content-type') ?? 'application/grpc' }),
    body: nothing(),
    trailer,
  };
}

async function* counted(
  body: AsyncIterable<Uint8Array>,
  counter: MessageByteCounter,
): AsyncIterable<Uint8Array> {
  for await (const chunk of body) {
    counter.push(chunk);
    yield chunk;
  }
}

function statusOf(response: UniversalServerResponse): string | null {
  return response.trailer?.get('grpc-status') ?? response.header?.get('grpc-status') ?? null;
}

/** How the gate reads one protocol served by connect: its refusals, its framing, its success. */
export interface GatedProtocol {
  refusal(request: UniversalServerRequest, error: unknown): UniversalServerResponse;
  counter(): MessageByteCounter;
  /** Once the answer's body has gone through `outgoing`. */
  succeeded(response: UniversalServerResponse, outgoing: MessageByteCounter): boolean;
}

/** gRPC: status in the trailers (or headers, trailers-only), messages behind 5-byte prefixes. */
export const gatedGrpc: GatedProtocol = {
  refusal,
  counter: () => new GrpcFrameCounter(),
  succeeded: (response) => statusOf(response) === '0',
};

/**
 * The request gate (servers/core/request-gate.ts) around one connect handler: admits
 * on the headers, counts message bytes both ways, finishes once the answer's body
 * (and so its status) has gone. `Usage` only checks the key, in the implementation.
 */
export function withRequestGate(
  gate: RequestGate,
  protocolOf: (request: UniversalServerRequest) => GatedProtocol = () => gatedGrpc,
): (handler: UniversalHandler) => UniversalHandler {
  return (handler) => {
    if (handler.method.name === 'Usage') return handler;
    const wrapped = async (request: UniversalServerRequest): Promise<UniversalServerResponse> => {
      const protocol = protocolOf(request);
      let admission: Admission;
      try {
        admission = gate.admit(credentialsOf(request.header));
      } catch (error) {
        return protocol.refusal(request, error);
      }
      const id = String(nextId++);
      admissions.set(id, admission);
      request.header.set(admissionHeader, id);
      const incoming = protocol.counter();
      const outgoing = protocol.counter();
      const finish = (response: UniversalServerResponse | undefined) => {
        admissions.delete(id);
        admission.bytesIn = incoming.messageBytes;
        admission.bytesOut = outgoing.messageBytes;
        admission.finish(response !== undefined && protocol.succeeded(response, outgoing));
      };
      const body = request.body as AsyncIterable<Uint8Array>;
      let response: UniversalServerResponse;
      try {
        response = await handler({ ...request, body: counted(body, incoming) });
      } catch (error) {
        finish(undefined);
        throw error;
      }
      const responseBody = response.body;
      if (!responseBody) {
        finish(response);
        return response;
      }
      async function* thenFinish(): AsyncIterable<Uint8Array> {
        let completed = false;
        try {
          yield* counted(responseBody!, outgoing);
          completed = true;
        } finally {
          finish(completed ? response : undefined);
        }
      }
      return { ...response, body: thenFinish() };
    };
    return Object.assign(wrapped, handler);
  };
}
