/**
 * What an HTTP/1.1 transport driver sends and how it reads the answer, per protocol:
 * REST (status and `{code}` body), the Connect protocol's unary form (the same shape,
 * its own error body) and gRPC-Web (HTTP 200, the status in a trailer frame at the end
 * of the body). The socket, pipelining and timeouts are the same driver's for all three.
 */
import { codeFromHttpStatus } from '@connectrpc/connect/protocol-connect';
import { errorFromHttpBody } from '../../clients/http-errors.js';
import { codeNameOf, isStatusCodeName } from '../../servers/core/status-codes.js';
import type { Outcome } from './driver.js';
import type { RequestPayload } from './request-payloads.js';
import {
  authHeaders,
  type RestBodyForm,
  type RestRequest,
  restAnswerCheck,
  restRequestOf,
} from './rest-request.js';
import { type AnswerChecks, failed, ok } from './transport-options.js';

export interface H1Exchange {
  /** The driver's name in results (`rest-h1`, `connect-h1`, `grpc-web-h1`). */
  readonly driverName: string;
  readonly request: RestRequest;
  /** Must this answer's body be kept to tell its outcome? */
  keepsBody(status: number, checked: boolean): boolean;
  outcomeOf(status: number, body: Buffer | undefined, checked: boolean, checks: AnswerChecks): Outcome;
}

export function restExchange(payload: RequestPayload, form: RestBodyForm, apiKey?: string): H1Exchange {
  const checkAnswer = restAnswerCheck(payload, form);
  return {
    driverName: 'rest-h1',
    request: restRequestOf(payload, form, apiKey),
    keepsBody: (status, checked) => status !== 200 || checked,
    outcomeOf(status, body, checked, checks) {
      if (status !== 200) return failed(errorFromHttpBody(status, body?.toString('utf8') ?? '').code);
      if (!checked) return ok;
      return checks.verdict(body ? checkAnswer(body) : 'no body');
    },
  };
}

/** A Connect error body's code (`"invalid_argument"`) as a gRPC code name, else the HTTP status's. */
export function connectErrorCode(status: number, body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'code' in parsed && typeof parsed.code === 'string') {
      const name = parsed.code.toUpperCase();
      if (isStatusCodeName(name)) return name;
    }
  } catch {
    // not JSON: the status decides
  }
  return codeNameOf(codeFromHttpStatus(status));
}

/** Connect unary: `POST /speech.v1.SpeechService/Classify` with the message as the body. */
export function connectExchange(
  payload: RequestPayload,
  encoding: 'json' | 'proto',
  apiKey?: string,
): H1Exchange {
  const checkAnswer = restAnswerCheck(payload, encoding === 'json' ? 'json' : 'protobuf');
  return {
    driverName: 'connect-h1',
    request: {
      path: payload.grpcPath,
      headers: [
        ['content-type', `application/${encoding}`],
        ['connect-protocol-version', '1'],
        ...authHeaders(apiKey),
      ],
      body: encoding === 'json' ? payload.jsonBody : payload.protobuf,
    },
    keepsBody: (status, checked) => status !== 200 || checked,
    outcomeOf(status, body, checked, checks) {
      if (status !== 200) return failed(connectErrorCode(status, body?.toString('utf8') ?? ''));
      if (!checked) return ok;
      return checks.verdict(body ? checkAnswer(body) : 'no body');
    },
  };
}

const trailerFlag = 0x80;

/** A gRPC-Web body's frames: the message (if any) and the trailer block's `grpc-status`. */
export function readGrpcWebBody(body: Buffer): { message?: Buffer; status?: number } {
  const found: { message?: Buffer; status?: number } = {};
  let at = 0;
  while (at + 5 <= body.length) {
    const flags = body[at]!;
    const length = body.readUInt32BE(at + 1);
    const data = body.subarray(at + 5, at + 5 + length);
    at += 5 + length;
    if (flags & trailerFlag) {
      const status = /(?:^|\r\n)grpc-status:\s*(\d+)/i.exec(data.toString('latin1'));
      if (status) found.status = Number(status[1]);
    } else found.message ??= data;
  }
  return found;
}

/** Binary gRPC-Web over HTTP/1.1: the gRPC frame as the body, trailers in the answer's body. */
export function grpcWebExchange(payload: RequestPayload, apiKey?: string): H1Exchange {
  return {
    driverName: 'grpc-web-h1',
    request: {
      path: payload.grpcPath,
      headers: [['content-type', 'application/grpc-web+proto'], ['x-grpc-web', '1'], ...authHeaders(apiKey)],
      body: payload.grpcFrame,
    },
    // The status is in the body, so every body is read (it is small: a unary answer).
    keepsBody: () => true,
    outcomeOf(status, body, checked, checks) {
      if (status !== 200) return failed(errorFromHttpBody(status, '').code);
      const { message, status: grpcStatus } = readGrpcWebBody(body ?? Buffer.alloc(0));
      if (grpcStatus === undefined) return failed('UNKNOWN');
      if (grpcStatus !== 0) return failed(codeNameOf(grpcStatus));
      if (!checked) return ok;
      return checks.verdict(message ? payload.checkProtobuf(message) : 'no message');
    },
  };
}
