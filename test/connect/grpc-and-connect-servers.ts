import { loadReferenceClips } from '../../bench/corpus/reference-clips.js';
import { GrpcSpeechClient } from '../../clients/grpc-speech-client.js';
import { startConnectServer } from '../../servers/connect/connect-server.js';
import { defaultLimits } from '../../servers/core/limits.js';
import type { SpeechService } from '../../servers/core/speech-service.js';
import { startGrpcServer } from '../../servers/grpc/grpc-server.js';
import { createSpeechRuntime } from '../../servers/speech-runtime.js';

export interface GrpcAndConnectServers {
  readonly service: SpeechService;
  readonly grpcJsPort: number;
  readonly connectPort: number;
  /** The same grpc-js client class for both, so that only the server differs. */
  readonly grpcJs: GrpcSpeechClient;
  readonly connect: GrpcSpeechClient;
  close(): Promise<void>;
}

/** grpc-js's server and connect's on loopback, on free ports, around one core. */
export async function startGrpcAndConnectServers(): Promise<GrpcAndConnectServers> {
  const runtime = await createSpeechRuntime(
    { choice: 'reference', realTimeFactor: 0, referenceClips: loadReferenceClips },
    defaultLimits,
  );
  const host = '127.0.0.1';
  const grpcJsServer = await startGrpcServer({ service: runtime.service, host, port: 0 });
  const connectServer = await startConnectServer({ service: runtime.service, host, port: 0 });
  const grpcJs = new GrpcSpeechClient({ host, port: grpcJsServer.port });
  const connect = new GrpcSpeechClient({ host, port: connectServer.port });
  return {
    service: runtime.service,
    grpcJsPort: grpcJsServer.port,
    connectPort: connectServer.port,
    grpcJs,
    connect,
    async close() {
      grpcJs.close();
      connect.close();
      await Promise.all([grpcJsServer.close(), connectServer.close()]);
      await runtime.close();
    },
  };
}
