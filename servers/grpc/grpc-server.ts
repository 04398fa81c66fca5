import { fileURLToPath } from 'node:url';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { type ConnectionLimits, defaultConnectionLimits } from '../connection-limits.js';
import { transportMessageLimit } from '../core/limits.js';
import { RequestGate } from '../core/request-gate.js';
import { ServiceError } from '../core/service-error.js';
import type { SpeechService } from '../core/speech-service.js';
import { formatHostPort } from '../host-port.js';
import type { ServerTls } from '../tls/server-tls.js';
import { guardedSpeechServiceDefinition } from './speech-service-definition.js';
import { speechServiceHandlers } from './speech-service-handlers.js';

export interface GrpcServerOptions {
  readonly service: SpeechService;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Without it, plaintext (h2c). */
  readonly tls?: ServerTls;
  /** Auth, rate limits, load shedding and the usage ledger (default: none of the limits, a ledger). */
  readonly gate?: RequestGate;
  /** Connection idle and age limits (default: defaultConnectionLimits). */
  readonly connectionLimits?: ConnectionLimits;
}

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

const protoPath = fileURLToPath(new URL('../../proto/speech/v1/speech.proto', import.meta.url));
const serviceName = 'speech.v1.SpeechService';

/** Starts grpc-js with the speech service, the standard health service and server reflection. */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningServer> {
  const limit = transportMessageLimit(options.service.limits, 'binary');
  const limits = options.connectionLimits ?? defaultConnectionLimits;
  // Without an age limit, a call with no deadline that never ends (an idle stream)
  // would hold its connection for ever; grpc-js sets neither limit by default.
  const server = new Server({
    'grpc.max_receive_message_length': limit,
    'grpc.max_connection_idle_ms': limits.idleTimeoutMs,
    'grpc.max_connection_age_ms': limits.maxConnectionAgeMs,
    'grpc.max_connection_age_grace_ms': limits.connectionAgeGraceMs,
  });
  server.addService(
    guardedSpeechServiceDefinition,
    speechServiceHandlers(options.service, options.gate ?? new RequestGate()),
  );
  const health = new HealthImplementation({ '': 'SERVING', [serviceName]: 'SERVING' });
  health.addToServer(server);
  new ReflectionService(loadSync(protoPath)).addToServer(server);

  const address = formatHostPort(options.host, options.port);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, grpcServerCredentials(options.tls), (error, boundPort) => {
      if (error) {
        reject(
          new ServiceError(
            'FAILED_PRECONDITION',
            `gRPC server cannot listen on ${address}: ${error.message} (is the port already in use? pick another with --grpc-port)`,
          ),
        );
      } else resolve(boundPort);
    });
  });
  return {
    host: options.host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        health.setStatus('', 'NOT_SERVING');
        const timer = setTimeout(() => server.forceShutdown(), 2_000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

function grpcServerCredentials(tls: ServerTls | undefined): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  return ServerCredentials.createSsl(
    Buffer.from(tls.ca),
    [{ cert_chain: Buffer.from(tls.cert), private_key: Buffer.from(tls.key) }],
    tls.mtls,
  );
}
