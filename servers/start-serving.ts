import { startConnectServer } from './connect/connect-server.js';
import type { Limits } from './core/limits.js';
import type { SpeechService } from './core/speech-service.js';
import type { SttSelection } from './engines/stt/select-stt.js';
import { type RunningServer, startGrpcServer } from './grpc/grpc-server.js';
import { startRestServer } from './rest/rest-server.js';
import { type ServerProtocol, serverProtocolInfo } from './server-protocols.js';
import { createSpeechRuntime } from './speech-runtime.js';

/** What `serve` starts, in one process (or in each worker). */
export interface ServeSettings {
  readonly protocols: readonly ServerProtocol[];
  readonly host: string;
  readonly ports: Readonly<Record<ServerProtocol, number>>;
  readonly stt: SttSelection;
  readonly limits: Limits;
  readonly injectedDelayMs: number;
}

export interface Serving {
  /** By the `listening` event's keys (serverProtocolInfo[protocol].eventKey). */
  readonly listening: Readonly<Record<string, { host: string; port: number }>>;
  readonly stt: string;
  readonly sttWhy: string;
  readonly classifier: string;
  close(): Promise<void>;
}

/** One speech core and every requested protocol's server around it. */
export async function startServing(settings: ServeSettings): Promise<Serving> {
  const runtime = await createSpeechRuntime(settings.stt, settings.limits, settings.injectedDelayMs);
  const servers: RunningServer[] = [];
  const close = async () => {
    await Promise.all(servers.map((server) => server.close()));
    await runtime.close();
  };
  const listening: Record<string, { host: string; port: number }> = {};
  try {
    // In order, one at a time: cluster workers that listen on port 0 share a port only
    // when their listen calls come in the same order.
    for (const protocol of settings.protocols) {
      const server = await startServer(protocol, runtime.service, settings.host, settings.ports[protocol]);
      servers.push(server);
      listening[serverProtocolInfo[protocol].eventKey] = { host: server.host, port: server.port };
    }
  } catch (error) {
    await close();
    throw error;
  }
  const info = runtime.service.serverInfo();
  return { listening, stt: info.sttEngine, sttWhy: runtime.sttWhy, classifier: info.classifier, close };
}

function startServer(protocol: ServerProtocol, service: SpeechService, host: string, port: number) {
  switch (protocol) {
    case 'grpc':
      return startGrpcServer({ service, host, port });
    case 'rest':
      return startRestServer({ service, host, port });
    case 'rest-h2':
      return startRestServer({ service, host, port, http2: true });
    case 'connect':
      return startConnectServer({ service, host, port });
  }
}
