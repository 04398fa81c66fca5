/**
 * What each protocol variant is made of. A variant fixes three things a comparison must
 * not mix up: the transport (HTTP/1.1 or HTTP/2), the encoding of the messages, and the
 * server implementation that answers; the attribution table compares variants that
 * differ in one of them only.
 */
import type { ServerProtocol } from '../../servers/server-protocols.js';
import type { Family, Rpc, Variant } from './suite.js';

export interface VariantInfo {
  readonly server: ServerProtocol;
  readonly transport: 'HTTP/1.1' | 'HTTP/2';
  /** Of the request; answers are in the same encoding except for rest-binary-h1 (JSON). */
  readonly encoding: 'protobuf' | 'JSON' | 'raw audio + JSON';
  readonly implementation: string;
  /** The body the REST drivers send. */
  readonly restBody?: 'json' | 'protobuf' | 'raw-wav';
  /** Has a client-library driver (family `client`). */
  readonly hasClient: boolean;
  /** A web page can call it (family `browser`: fetch for REST, connect-web for the others). */
  readonly browser: boolean;
  /** The browser protocol it speaks on the web server (servers/web). */
  readonly web?: 'connect-json' | 'connect-proto' | 'grpc-web';
}

export const variantInfo: Record<Variant, VariantInfo> = {
  grpc: {
    server: 'grpc',
    transport: 'HTTP/2',
    encoding: 'protobuf',
    implementation: 'grpc-js',
    hasClient: true,
    browser: false,
  },
  'grpc-connect': {
    server: 'connect',
    transport: 'HTTP/2',
    encoding: 'protobuf',
    implementation: 'connect-node',
    hasClient: false,
    browser: false,
  },
  'rest-json-h1': {
    server: 'rest',
    transport: 'HTTP/1.1',
    encoding: 'JSON',
    implementation: 'Fastify',
    restBody: 'json',
    hasClient: true,
    browser: true,
  },
  'rest-json-h2': {
    server: 'rest-h2',
    transport: 'HTTP/2',
    encoding: 'JSON',
    implementation: 'Fastify (node:http2)',
    restBody: 'json',
    hasClient: false,
    browser: false,
  },
  'rest-proto-h1': {
    server: 'rest',
    transport: 'HTTP/1.1',
    encoding: 'protobuf',
    implementation: 'Fastify',
    restBody: 'protobuf',
    hasClient: false,
    browser: false,
  },
  'rest-binary-h1': {
    server: 'rest',
    transport: 'HTTP/1.1',
    encoding: 'raw audio + JSON',
    implementation: 'Fastify',
    restBody: 'raw-wav',
    hasClient: false,
    browser: true,
  },
  'connect-json-h1': {
    server: 'web',
    transport: 'HTTP/1.1',
    encoding: 'JSON',
    implementation: 'connect-node (node:http)',
    hasClient: false,
    browser: true,
    web: 'connect-json',
  },
  'connect-proto-h1': {
    server: 'web',
    transport: 'HTTP/1.1',
    encoding: 'protobuf',
    implementation: 'connect-node (node:http)',
    hasClient: false,
    browser: true,
    web: 'connect-proto',
  },
  'grpc-web-h1': {
    server: 'web',
    transport: 'HTTP/1.1',
    encoding: 'protobuf',
    implementation: 'connect-node (node:http)',
    hasClient: false,
    browser: true,
    web: 'grpc-web',
  },
};

/**
 * Classify has no audio, so rest-binary-h1 sends it the JSON body: on classify the pair
 * rest-json-h1 / rest-binary-h1 is an A/A comparison, the noise floor of the run.
 */
export function restBodyFor(variant: Variant, hasAudio: boolean): 'json' | 'protobuf' | 'raw-wav' {
  const body = variantInfo[variant].restBody ?? 'json';
  return body === 'raw-wav' && !hasAudio ? 'json' : body;
}

/**
 * Streaming: gRPC's bidirectional call (grpc-js's client against either server), and
 * REST's chunked raw-audio upload answered in NDJSON, which is rest-binary-h1's form
 * (raw audio in, JSON out).
 */
export const streamingVariants: readonly Variant[] = ['grpc', 'grpc-connect', 'rest-binary-h1'];

/**
 * The variants a scenario runs when it names none. The web server's variants run where a
 * suite names them (the `web` suite), so that `quick` and `full` keep their time budgets.
 */
export function defaultVariants(rpc: Rpc, family: Family): Variant[] {
  if (rpc === 'streaming-transcribe') return [...streamingVariants];
  const all = Object.keys(variantInfo) as Variant[];
  if (family === 'client') return all.filter((variant) => variantInfo[variant].hasClient);
  if (family === 'browser') return all.filter((variant) => variantInfo[variant].browser);
  return all.filter((variant) => variantInfo[variant].web === undefined);
}
