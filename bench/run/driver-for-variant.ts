import type { ClientTls } from '../../clients/client-tls.js';
import type { ResilienceOptions } from '../../clients/resilience.js';
import type { ServerProtocol } from '../../servers/server-protocols.js';
import { http2WindowsOf, type TuningName } from '../../servers/tuning.js';
import { grpcClientDriver, restClientDriver } from '../drivers/client-drivers.js';
import type { Driver } from '../drivers/driver.js';
import { GrpcH2Driver } from '../drivers/grpc-h2-driver.js';
import { connectExchange, grpcWebExchange } from '../drivers/h1-exchanges.js';
import type { RequestPayload } from '../drivers/request-payloads.js';
import { RestH1Driver } from '../drivers/rest-h1-driver.js';
import { RestH2Driver } from '../drivers/rest-h2-driver.js';
import type { Family, Variant } from '../scenarios/suite.js';
import { restBodyFor, variantInfo } from '../scenarios/variants.js';

export interface DriverTarget {
  readonly host: string;
  readonly port: number;
  readonly payload: RequestPayload;
  readonly timeoutMs: number;
  /** The server serves TLS: trust this CA. */
  readonly tls?: ClientTls;
  /** For servers started with API keys: sent as `authorization: Bearer KEY`. */
  readonly apiKey?: string;
  /** Client family only (clients/resilience.ts). */
  readonly resilience?: ResilienceOptions;
  /** Client family: `tuned` raises grpc-js's client window (our transport drivers' are large in both). */
  readonly tuning?: TuningName;
}

/** The server a variant talks to. */
export function serverProtocolOf(variant: Variant): ServerProtocol {
  return variantInfo[variant].server;
}

/**
 * The driver that measures a variant: transport-level (our HTTP/2 client for every
 * HTTP/2 variant, raw HTTP/1.1 sockets for the others), or through the project's own client.
 */
export function driverFor(variant: Variant, family: Family, target: DriverTarget): Driver {
  const options = {
    host: target.host,
    port: target.port,
    payload: target.payload,
    timeoutMs: target.timeoutMs,
    ...(target.tls ? { tls: target.tls } : {}),
    ...(target.apiKey === undefined ? {} : { apiKey: target.apiKey }),
  };
  const bodyForm = restBodyFor(variant, target.payload.rawWav !== undefined);
  // The suite check lets only variants with a client library into the client family.
  if (family === 'client') {
    const windows = http2WindowsOf(target.tuning ?? 'default');
    const client = {
      ...options,
      ...(target.resilience ? { resilience: target.resilience } : {}),
      ...(windows ? { flowControlWindowBytes: windows.streamBytes } : {}),
    };
    return variant === 'grpc' ? grpcClientDriver(client) : restClientDriver(client);
  }
  // The browser's protocols: the same HTTP/1.1 driver as REST's, speaking them.
  const web = variantInfo[variant].web;
  if (web === 'grpc-web')
    return new RestH1Driver({ ...options, exchange: grpcWebExchange(target.payload, target.apiKey) });
  if (web) {
    const encoding = web === 'connect-json' ? 'json' : 'proto';
    return new RestH1Driver({
      ...options,
      exchange: connectExchange(target.payload, encoding, target.apiKey),
    });
  }
  // The same gRPC wire protocol from either server: the same driver.
  if (variantInfo[variant].encoding === 'protobuf' && variantInfo[variant].server !== 'rest')
    return new GrpcH2Driver(options);
  if (variantInfo[variant].transport === 'HTTP/2') return new RestH2Driver({ ...options, bodyForm });
  return new RestH1Driver({ ...options, bodyForm });
}
