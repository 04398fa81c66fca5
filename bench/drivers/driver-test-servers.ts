/** Servers for the driver tests, on loopback and free ports: the real ones, and ones that never answer. */
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttp2Server, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { startConnectServer } from '../../servers/connect/connect-server.js';
import { defaultLimits } from '../../servers/core/limits.js';
import { type RunningServer, startGrpcServer } from '../../servers/grpc/grpc-server.js';
import { startRestServer } from '../../servers/rest/rest-server.js';
import { type ServerProtocol, serverProtocols } from '../../servers/server-protocols.js';
import { createSpeechRuntime } from '../../servers/speech-runtime.js';
import { startWebServer } from '../../servers/web/web-server.js';
import { loadReferenceClips } from '../corpus/reference-clips.js';

const host = '127.0.0.1';

export interface RealServers {
  readonly grpcPort: number;
  readonly restPort: number;
  portOf(server: ServerProtocol): number;
  /** Closes one server (once), leaving the others up. */
  closeOne(server: ServerProtocol): Promise<void>;
  close(): Promise<void>;
}

/** The gRPC and REST servers around one core with the reference engine, in this process. */
export async function startRealServers(): Promise<RealServers> {
  const runtime = await createSpeechRuntime(
    { choice: 'reference', realTimeFactor: 0, referenceClips: loadReferenceClips },
    defaultLimits,
  );
  const servers: Record<ServerProtocol, RunningServer> = {
    grpc: await startGrpcServer({ service: runtime.service, host, port: 0 }),
    rest: await startRestServer({ service: runtime.service, host, port: 0 }),
    'rest-h2': await startRestServer({ service: runtime.service, host, port: 0, http2: true }),
    connect: await startConnectServer({ service: runtime.service, host, port: 0 }),
    web: await startWebServer({ service: runtime.service, host, port: 0 }),
  };
  const closing = new Map<ServerProtocol, Promise<void>>();
  const closeOne = (server: ServerProtocol) => {
    let closed = closing.get(server);
    if (!closed) {
      closed = servers[server].close();
      closing.set(server, closed);
    }
    return closed;
  };
  return {
    grpcPort: servers.grpc.port,
    restPort: servers.rest.port,
    portOf: (server) => servers[server].port,
    closeOne,
    async close() {
      await Promise.all(serverProtocols.map(closeOne));
      await runtime.close();
    },
  };
}

export interface SilentServer {
  readonly port: number;
  close(): Promise<void>;
}

function answerServerInfo(stream: ServerHttp2Stream): void {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
  stream.end(Buffer.alloc(5));
}

/** An HTTP/2 server that answers GetServerInfo (so clients can connect) and nothing else, ever. */
export async function startSilentHttp2Server(): Promise<SilentServer> {
  const server = createHttp2Server();
  const streams = new Set<ServerHttp2Stream>();
  server.on('stream', (stream, headers) => {
    stream.on('error', () => {});
    if (String(headers[':path']).endsWith('/GetServerInfo')) {
      answerServerInfo(stream);
      return;
    }
    streams.add(stream);
    stream.resume();
  });
  server.listen(0, host);
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const stream of streams) stream.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await closed;
    },
  };
}

/** An HTTP/1.1 server that answers GET /v1/info (so clients can connect) and never answers a POST. */
export async function startSilentHttp1Server(): Promise<SilentServer> {
  const server = createHttpServer((request, response) => {
    if (request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    request.resume();
  });
  server.listen(0, host);
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
