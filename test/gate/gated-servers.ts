/** One server of a protocol behind its own request gate, on loopback and a free port, for the gate tests. */
import { loadReferenceClips } from '../../bench/corpus/reference-clips.js';
import { startConnectServer } from '../../servers/connect/connect-server.js';
import { ApiKeys } from '../../servers/core/api-keys.js';
import { defaultLimits } from '../../servers/core/limits.js';
import { RequestGate, type RequestGateOptions } from '../../servers/core/request-gate.js';
import { type RunningServer, startGrpcServer } from '../../servers/grpc/grpc-server.js';
import { startRestServer } from '../../servers/rest/rest-server.js';
import type { ServerProtocol } from '../../servers/server-protocols.js';
import { createSpeechRuntime, type SpeechRuntime } from '../../servers/speech-runtime.js';
import { startWebServer } from '../../servers/web/web-server.js';

export const host = '127.0.0.1';
export const aliceKey = 'sk-alice-0123456789';
export const bobKey = 'sk-bob-9876543210';

export function testKeys(): ApiKeys {
  return new ApiKeys([
    { id: 'alice', key: aliceKey },
    { id: 'bob', key: bobKey },
  ]);
}

export function referenceRuntime(): Promise<SpeechRuntime> {
  return createSpeechRuntime(
    { choice: 'reference', realTimeFactor: 0, referenceClips: loadReferenceClips },
    defaultLimits,
  );
}

export interface GatedServer {
  readonly port: number;
  readonly gate: RequestGate;
  close(): Promise<void>;
}

export async function startGated(
  runtime: SpeechRuntime,
  protocol: ServerProtocol,
  options: RequestGateOptions,
): Promise<GatedServer> {
  const gate = new RequestGate(options);
  const service = runtime.service;
  const starts: Record<ServerProtocol, () => Promise<RunningServer>> = {
    grpc: () => startGrpcServer({ service, gate, host, port: 0 }),
    rest: () => startRestServer({ service, gate, host, port: 0 }),
    'rest-h2': () => startRestServer({ service, gate, host, port: 0, http2: true }),
    connect: () => startConnectServer({ service, gate, host, port: 0 }),
    web: () => startWebServer({ service, gate, host, port: 0 }),
  };
  const server = await starts[protocol]();
  return {
    port: server.port,
    gate,
    async close() {
      await server.close();
      gate.close();
    },
  };
}
