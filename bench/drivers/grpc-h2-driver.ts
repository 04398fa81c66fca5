/**
 * gRPC at the transport level, the counterpart of autocannon for REST: no gRPC library,
 * pre-built framed requests, many streams per HTTP/2 connection. The HTTP/2 client is
 * our own frame-level one (h2/), because node:http2 costs the client several times what
 * h2load does per request and then the driver, not the server, sets the numbers (see
 * bench/ceiling). grpc-node-http2-driver.ts is the same driver on node:http2.
 */
import { codeNameOf } from '../../servers/core/status-codes.js';
import { H2Driver, type H2Exchange } from './h2-driver.js';
import type { RequestPayload } from './request-payloads.js';
import { authHeaders } from './rest-request.js';
import { failed, type TransportDriverOptions } from './transport-options.js';

/** The answer in a checked body: one uncompressed length-prefixed message. */
export function checkGrpcBody(
  chunks: readonly Buffer[],
  check: (message: Uint8Array) => string | undefined,
): string | undefined {
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  if (body.length < 5) return `the answer holds no gRPC message (${body.length} bytes)`;
  if (body[0] !== 0) return 'the answer is compressed although no compression was offered';
  const length = body.readUInt32BE(1);
  if (body.length !== 5 + length)
    return `the answer frame says ${length} bytes but carries ${body.length - 5}`;
  return check(body.subarray(5));
}

/** gRPC's exchange: what grpc-js sends, less its user-agent and timeout; the status in the trailers. */
export function grpcExchange(payload: RequestPayload, apiKey?: string): H2Exchange {
  return {
    name: 'grpc-h2',
    path: payload.grpcPath,
    headers: [['content-type', 'application/grpc'], ['te', 'trailers'], ...authHeaders(apiKey)],
    body: payload.grpcFrame,
    statusHeader: 'grpc-status',
    okStatus: '0',
    messagePrefixBytes: 5,
    failure: (status) => failed(codeNameOf(Number(status))),
    check: (body) => checkGrpcBody(body, (message) => payload.checkProtobuf(message)),
  };
}

export class GrpcH2Driver extends H2Driver {
  constructor(options: TransportDriverOptions) {
    super(options, grpcExchange(options.payload, options.apiKey));
  }
}
