/** A variant's request as the page sends it: the same bytes the transport drivers send. */
import type { RequestPayload } from '../drivers/request-payloads.js';
import { restRequestOf } from '../drivers/rest-request.js';
import type { Variant } from '../scenarios/suite.js';
import { restBodyFor, variantInfo } from '../scenarios/variants.js';
import type { PageCall, PageProtocol } from './page-protocol.js';

function protocolOf(variant: Variant, hasAudio: boolean): PageProtocol {
  const web = variantInfo[variant].web;
  if (web) return web;
  if (!variantInfo[variant].browser) throw new Error(`a browser cannot call ${variant}`);
  return restBodyFor(variant, hasAudio) === 'raw-wav' ? 'rest-raw' : 'rest-json';
}

export function pageCallOf(
  variant: Variant,
  payload: RequestPayload,
  target: { readonly baseUrl: string; readonly timeoutMs: number; readonly apiKey?: string },
): PageCall {
  const protocol = protocolOf(variant, payload.rawWav !== undefined);
  const rest =
    protocol === 'rest-raw' || protocol === 'rest-json'
      ? restRequestOf(payload, protocol === 'rest-raw' ? 'raw-wav' : 'json')
      : undefined;
  return {
    protocol,
    baseUrl: target.baseUrl,
    rpc: payload.rpc,
    ...(rest
      ? {
          rest: {
            path: rest.path,
            contentType: rest.headers.find(([name]) => name === 'content-type')![1],
            bodyBase64: rest.body.toString('base64'),
          },
        }
      : {}),
    messageBase64: payload.protobuf.toString('base64'),
    timeoutMs: target.timeoutMs,
    ...(target.apiKey === undefined ? {} : { apiKey: target.apiKey }),
  };
}
