import { startConnectServer } from './connect/connect-server.js';
import type { ConnectionLimits } from './connection-limits.js';
import type { Limits } from './core/limits.js';
import { RequestGate, type RequestGateOptions } from './core/request-gate.js';
import type { SpeechService } from './core/speech-service.js';
import type { ClassifierChoice } from './engines/classify/classifier-choices.js';
import type { SttSelection } from './engines/stt/select-stt.js';
import { type RunningServer, startGrpcServer } from './grpc/grpc-server.js';
import { startRestServer } from './rest/rest-server.js';
import { type ServerProtocol, serverProtocolInfo } from './server-protocols.js';
import { createSpeechRuntime } from './speech-runtime.js';
import type { ServerTls } from './tls/server-tls.js';
import { type Http2Windows, http2WindowsOf, type TuningName } from './tuning.js';
import { startWebServer } from './web/web-server.js';

/** What `serve` starts, in one process (or in each worker). */
export interface ServeSettings {
  readonly protocols: readonly ServerProtocol[];
  readonly host: string;
  readonly ports: Readonly<Record<ServerProtocol, number>>;
  readonly stt: SttSelection;
  readonly classifier: ClassifierChoice;
  readonly limits: Limits;
  readonly injectedDelayMs: number;
  /** µs of CPU burned in every unary call (verdict calibration); 0 in real runs. */
  readonly injectedCpuUs?: number;
  readonly gate: RequestGateOptions;
  readonly tls: ServerTls | undefined;
  readonly connectionLimits: ConnectionLimits;
  /** `tuned` raises the HTTP/2 windows of the servers that allow it (servers/tuning.ts). */
  readonly tuning: TuningName;
}

export interface Serving {
  /** By the `listening` event's keys (serverProtocolInfo[protocol].eventKey). */
  readonly listening: Readonly<Record<string, { host: string; port: number }>>;
  readonly stt: string;
  readonly sttWhy: string;
  readonly classifier: string;
  close(): Promise<void>;
}

/** One speech core, one request gate, and every requested protocol's server around them. */
export async function startServing(settings: ServeSettings): Promise<Serving> {
  // One gate for every server of the process: a key's limits and ledger span the protocols.
  const gate = new RequestGate(settings.gate);
  const runtime = await createSpeechRuntime(settings.stt, settings.limits, {
    injectedDelayMs: settings.injectedDelayMs,
    injectedCpuUs: settings.injectedCpuUs ?? 0,
    classifier: settings.classifier,
  });
  const servers: RunningServer[] = [];
  const close = async () => {
    await Promise.all(servers.map((server) => server.close()));
    gate.close();
    await runtime.close();
  };
  const listening: Record<string, { host: string; port: number }> = {};
  try {
    // In order, one at a time: cluster workers that listen on port 0 share a port only
    // when their listen calls come in the same order.
    for (const protocol of settings.protocols) {
      const server = await startServer(protocol, {
        service: runtime.service,
        gate,
        host: settings.host,
        port: settings.ports[protocol],
        tls: settings.tls,
        connectionLimits: settings.connectionLimits,
        http2Windows: http2WindowsOf(settings.tuning),
      });
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

export interface ServerSetup {
  readonly service: SpeechService;
  /** Default: a gate of its own, with no limits. */
  readonly gate?: RequestGate;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Without it, plaintext (h2c for the HTTP/2 ones). */
  readonly tls?: ServerTls | undefined;
  readonly connectionLimits?: ConnectionLimits;
  /** The node:http2 servers' receive windows (grpc-js's server has no setting for them). */
  readonly http2Windows?: Http2Windows | undefined;
}

/** One protocol's server around a core. */
export function startServer(protocol: ServerProtocol, setup: ServerSetup): Promise<RunningServer> {
  const { tls, http2Windows, ...common } = setup;
  const options = { ...common, ...(tls ? { tls } : {}) };
  const windows = http2Windows ? { http2Windows } : {};
  switch (protocol) {
    case 'grpc':
      return startGrpcServer(options);
    case 'rest':
      return startRestServer(options);
    case 'rest-h2':
      return startRestServer({ ...options, http2: true, ...windows });
    case 'connect':
      return startConnectServer({ ...options, ...windows });
    case 'web':
      return startWebServer(options);
  }
}
