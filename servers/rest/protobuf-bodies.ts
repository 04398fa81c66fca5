/**
 * `application/x-protobuf` bodies on the REST routes: the same messages gRPC carries,
 * over plain HTTP/1.1 or HTTP/2. This is what lets a benchmark separate the encoding
 * (JSON vs protobuf) from the transport (HTTP/1.1 vs HTTP/2) and the framework.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MessageFns } from '../../proto/gen/speech/v1/speech.js';
import { ServiceError } from '../core/service-error.js';
import { noteAnswer } from './rest-gate.js';

export const protobufContentType = 'application/x-protobuf';

export function isProtobufBody(request: FastifyRequest): request is FastifyRequest & { body: Buffer } {
  return (
    Buffer.isBuffer(request.body) && mediaTypeOf(request.headers['content-type']) === protobufContentType
  );
}

function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Malformed bytes are the client's fault: INVALID_ARGUMENT, as on the gRPC side. */
export function decodeProtobufBody<T>(codec: MessageFns<T>, body: Buffer): T {
  try {
    return codec.decode(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServiceError('INVALID_ARGUMENT', `request body is not a valid protobuf message: ${reason}`);
  }
}

/** Asking for protobuf is explicit (an Accept header naming it); everyone else gets JSON. */
export function wantsProtobuf(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return accept?.toLowerCase().includes(protobufContentType) === true;
}

/** The answer in the encoding the client asked for. Errors stay JSON (`{code, message}`) for every client. */
export function replyWith<T>(request: FastifyRequest, reply: FastifyReply, codec: MessageFns<T>, message: T) {
  noteAnswer(request, message);
  if (!wantsProtobuf(request)) return codec.toJSON(message);
  return reply.type(protobufContentType).send(Buffer.from(codec.encode(message).finish()));
}
