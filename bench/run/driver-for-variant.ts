import { grpcClientDriver, restClientDriver } from '../drivers/client-drivers.js';
import type { Driver } from '../drivers/driver.js';
import { GrpcH2Driver } from '../drivers/grpc-h2-driver.js';
import type { RequestPayload } from '../drivers/request-payloads.js';
import { RestH1Driver } from '../drivers/rest-h1-driver.js';
import type { Family, Variant } from '../scenarios/suite.js';

export interface DriverTarget {
  readonly host: string;
  readonly port: number;
  readonly payload: RequestPayload;
  readonly timeoutMs: number;
}

/** The server protocol a variant talks to. */
export function serverProtocolOf(variant: Variant): 'grpc' | 'rest' {
  return variant === 'grpc' ? 'grpc' : 'rest';
}

/** The driver that measures a variant: transport-level, or through the project's own client. */
export function driverFor(variant: Variant, family: Family, target: DriverTarget): Driver {
  const options = {
    host: target.host,
    port: target.port,
    payload: target.payload,
    timeoutMs: target.timeoutMs,
  };
  if (family === 'client') return variant === 'grpc' ? grpcClientDriver(options) : restClientDriver(options);
  return variant === 'grpc' ? new GrpcH2Driver(options) : new RestH1Driver(options);
}
