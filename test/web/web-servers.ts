/** The servers the web tests call: gRPC (the reference), REST and the web server, around one core. */
import { loadReferenceClips } from '../../bench/corpus/reference-clips.js';
import { GrpcSpeechClient } from '../../clients/grpc-speech-client.js';
import { ApiKeys } from '../../servers/core/api-keys.js';
import { defaultLimits } from '../../servers/core/limits.js';
import { RequestGate } from '../../servers/core/request-gate.js';
import { type RunningServer, startGrpcServer } from '../../servers/grpc/grpc-server.js';
import { startRestServer } from '../../servers/rest/rest-server.js';
import { createSpeechRuntime } from '../../servers/speech-runtime.js';
import { startWebServer } from '../../servers/web/web-server.js';

export const host = '127.0.0.1';
export const apiKey = 'web-test-key';

export interface WebTestServers {
  readonly grpcPort: number;
  readonly restPort: number;
  readonly webPort: number;
  /** Shared by the servers: its ledger counts every protocol's calls. */
  readonly gate: RequestGate;
  close(): Promise<void>;
}

/**
 * Every server on a free port; with `keyed`, they require `apiKey`, and with a delay, every
 * unary call takes that long (for deadlines).
 */
export async function startWebTestServers(options: { keyed?: boolean; injectedDelayMs?: number } = {}) {
  const runtime = await createSpeechRuntime(
    { choice: 'reference', realTimeFactor: 0, referenceClips: loadReferenceClips },
    defaultLimits,
    { injectedDelayMs: options.injectedDelayMs ?? 0 },
  );
  const gate = new RequestGate(options.keyed ? { apiKeys: new ApiKeys([{ id: 'web', key: apiKey }]) } : {});
  const setup = { service: runtime.service, gate, host, port: 0 };
  const servers: RunningServer[] = [
    await startGrpcServer(setup),
    await startRestServer(setup),
    await startWebServer(setup),
  ];
  const [grpc, rest, web] = servers as [RunningServer, RunningServer, RunningServer];
  return {
    grpcPort: grpc.port,
    restPort: rest.port,
    webPort: web.port,
    gate,
    async close() {
      await Promise.all(servers.map((server) => server.close()));
      gate.close();
      await runtime.close();
    },
  } satisfies WebTestServers;
}

/** The code grpc-js's client gets for a call (`OK` when it succeeds): what the other clients must match. */
export async function grpcCodeOf(
  port: number,
  call: (client: GrpcSpeechClient) => Promise<unknown>,
  key?: string,
): Promise<string> {
  const client = new GrpcSpeechClient({ host, port, ...(key ? { apiKey: key } : {}) });
  try {
    await call(client);
    return 'OK';
  } catch (error) {
    return (error as { code: string }).code;
  } finally {
    client.close();
  }
}
