import { request as httpRequest } from 'node:http';
import { credentials, type ServiceError as GrpcError, makeClientConstructor } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { formatHostPort } from '../servers/host-port.js';

/** What a health check found: `SERVING` or why not. */
export interface HealthStatus {
  readonly serving: boolean;
  readonly status: string;
}

const HealthClient = makeClientConstructor(healthService, 'grpc.health.v1.Health');
const checkMethod = (() => {
  const method = healthService.Check;
  if (!method) throw new Error('grpc-health-check no longer defines grpc.health.v1.Health/Check');
  return method;
})();

/** The standard gRPC health service (`grpc.health.v1.Health/Check`, whole server: service ""). */
export function grpcHealthCheck(host: string, port: number, deadlineMs: number): Promise<HealthStatus> {
  const client = new HealthClient(formatHostPort(host, port), credentials.createInsecure());
  return new Promise<HealthStatus>((resolve) => {
    client.makeUnaryRequest(
      checkMethod.path,
      checkMethod.requestSerialize,
      checkMethod.responseDeserialize,
      { service: '' },
      { deadline: Date.now() + deadlineMs },
      (error: GrpcError | null, response?: { status?: unknown }) => {
        client.close();
        if (error) resolve({ serving: false, status: `${error.code}: ${error.details || error.message}` });
        else {
          const status = String(response?.status ?? 'UNKNOWN');
          resolve({ serving: status === 'SERVING', status });
        }
      },
    );
  });
}

/** REST's `GET /healthz`: 200 with `"status": "SERVING"`. */
export function restHealthCheck(host: string, port: number, deadlineMs: number): Promise<HealthStatus> {
  return new Promise<HealthStatus>((resolve) => {
    const request = httpRequest({ host, port, path: '/healthz', method: 'GET', timeout: deadlineMs });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${deadlineMs} ms`)));
    request.on('error', (error) => resolve({ serving: false, status: error.message }));
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => {
        let status = `HTTP ${response.statusCode}`;
        try {
          const parsed = JSON.parse(body) as { status?: unknown };
          if (response.statusCode === 200 && typeof parsed.status === 'string') status = parsed.status;
        } catch {
          // Not JSON: the HTTP status says enough.
        }
        resolve({ serving: status === 'SERVING', status });
      });
    });
    request.end();
  });
}
