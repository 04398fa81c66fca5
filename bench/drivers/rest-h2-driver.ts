/**
 * REST over HTTP/2 (h2c) at the transport level: the same HTTP/2 client and stream
 * handling as the gRPC driver, so that rest-json-h2 against grpc differs in the
 * encoding and the server framework, never in the client.
 */
import { errorFromHttpBody } from '../../clients/http-errors.js';
import { H2Driver, type H2Exchange } from './h2-driver.js';
import type { RequestPayload } from './request-payloads.js';
import { type RestBodyForm, restAnswerCheck, restRequestOf } from './rest-request.js';
import { failed, type TransportDriverOptions } from './transport-options.js';

export function restExchange(payload: RequestPayload, form: RestBodyForm, apiKey?: string): H2Exchange {
  const request = restRequestOf(payload, form, apiKey);
  const check = restAnswerCheck(payload, form);
  return {
    name: 'rest-h2',
    path: request.path,
    headers: request.headers,
    body: request.body,
    statusHeader: ':status',
    okStatus: '200',
    messagePrefixBytes: 0,
    failure: (status, body) =>
      failed(errorFromHttpBody(Number(status), Buffer.concat(body).toString('utf8')).code),
    check: (body) => check(body.length === 1 ? body[0]! : Buffer.concat(body)),
  };
}

export interface RestH2DriverOptions extends TransportDriverOptions {
  readonly bodyForm?: RestBodyForm;
}

export class RestH2Driver extends H2Driver {
  constructor(options: RestH2DriverOptions) {
    super(options, restExchange(options.payload, options.bodyForm ?? 'json', options.apiKey));
  }
}
