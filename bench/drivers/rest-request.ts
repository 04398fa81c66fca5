/** A benchmark request in one of REST's body forms, whatever carries it (HTTP/1.1 or HTTP/2). */
import type { RequestPayload } from './request-payloads.js';

export type RestBodyForm = 'json' | 'protobuf' | 'raw-wav';

export interface RestRequest {
  readonly path: string;
  /** Lowercase names: HTTP/2 requires them, HTTP/1.1 does not mind. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

const protobufType = 'application/x-protobuf';

/** The API key as a request header (`authorization: Bearer KEY`), for servers started with keys. */
export function authHeaders(apiKey: string | undefined): readonly (readonly [string, string])[] {
  return apiKey === undefined ? [] : [['authorization', `Bearer ${apiKey}`]];
}

export function restRequestOf(payload: RequestPayload, form: RestBodyForm, apiKey?: string): RestRequest {
  const request = restRequestWithoutKey(payload, form);
  return apiKey === undefined
    ? request
    : { ...request, headers: [...request.headers, ...authHeaders(apiKey)] };
}

function restRequestWithoutKey(payload: RequestPayload, form: RestBodyForm): RestRequest {
  switch (form) {
    case 'json':
      return {
        path: payload.restPath,
        headers: [['content-type', 'application/json']],
        body: payload.jsonBody,
      };
    case 'protobuf':
      return {
        path: payload.restPath,
        headers: [
          ['content-type', protobufType],
          ['accept', protobufType],
        ],
        body: payload.protobuf,
      };
    case 'raw-wav': {
      if (!payload.rawWav) throw new Error(`${payload.rpc} has no raw-audio form; use the JSON body`);
      const { path, contentType, body } = payload.rawWav;
      return { path, headers: [['content-type', contentType]], body };
    }
  }
}

/** Checks a 200 answer's body in the encoding this form is answered in. */
export function restAnswerCheck(
  payload: RequestPayload,
  form: RestBodyForm,
): (body: Buffer) => string | undefined {
  return form === 'protobuf'
    ? (body) => payload.checkProtobuf(body)
    : (body) => payload.checkJson(body.toString('utf8'));
}
