/**
 * CORS for the servers a web page calls from another origin, with only what the
 * protocols need: the request headers the Connect, gRPC-Web and REST clients send
 * (API keys included) and the response headers their clients read (gRPC-Web's status
 * when it comes in the headers, pushback's retry hints). Any origin may call: the
 * servers hold no cookies (API keys travel in headers, never with credentials mode).
 */
export const corsAllowedHeaders = [
  'content-type',
  'connect-protocol-version',
  'connect-timeout-ms',
  'grpc-timeout',
  'x-grpc-web',
  'x-user-agent',
  'authorization',
  'x-api-key',
].join(', ');

export const corsExposedHeaders = ['grpc-status', 'grpc-message', 'retry-after', 'retry-after-ms'].join(', ');

/** A preflight's answer is cached by the browser this long (Chromium caps it at 2 hours). */
const preflightMaxAgeSeconds = 7200;

/** The headers of an answer to a request that came with an `Origin`. */
export function corsResponseHeaders(): Record<string, string> {
  return { 'access-control-allow-origin': '*', 'access-control-expose-headers': corsExposedHeaders };
}

/** An OPTIONS request with `Access-Control-Request-Method` is a preflight: this answers it (204). */
export function isPreflight(method: string | undefined, headers: Record<string, unknown>): boolean {
  return method === 'OPTIONS' && headers['access-control-request-method'] !== undefined;
}

export function preflightHeaders(): Record<string, string> {
  return {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'POST, GET',
    'access-control-allow-headers': corsAllowedHeaders,
    'access-control-max-age': String(preflightMaxAgeSeconds),
  };
}
