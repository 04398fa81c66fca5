import { loadReferenceClips } from '../../bench/corpus/reference-clips.js';
import { GrpcSpeechClient } from '../../clients/grpc-speech-client.js';
import { RestSpeechClient } from '../../clients/rest-speech-client.js';
import { defaultLimits, type Limits } from '../../servers/core/limits.js';
import type { SpeechService } from '../../servers/core/speech-service.js';
import type { ClassifierChoice } from '../../servers/engines/classify/classifier-choices.js';
import type { SttChoice } from '../../servers/engines/stt/select-stt.js';
import { startGrpcServer } from '../../servers/grpc/grpc-server.js';
import { startRestServer } from '../../servers/rest/rest-server.js';
import { createSpeechRuntime } from '../../servers/speech-runtime.js';

export interface TestServers {
  readonly service: SpeechService;
  readonly grpcPort: number;
  readonly restPort: number;
  readonly grpc: GrpcSpeechClient;
  readonly rest: RestSpeechClient;
  close(): Promise<void>;
}

/** Real gRPC and REST servers on loopback, on free ports, around one core, with a client for each. */
export async function startTestServers(
  options: { stt?: SttChoice; limits?: Limits; realTimeFactor?: number; classifier?: ClassifierChoice } = {},
): Promise<TestServers> {
  const runtime = await createSpeechRuntime(
    {
      choice: options.stt ?? 'reference',
      realTimeFactor: options.realTimeFactor ?? 0,
      referenceClips: loadReferenceClips,
    },
    options.limits ?? defaultLimits,
    options.classifier ? { classifier: options.classifier } : {},
  );
  const host = '127.0.0.1';
  const grpcServer = await startGrpcServer({ service: runtime.service, host, port: 0 });
  const restServer = await startRestServer({ service: runtime.service, host, port: 0 });
  const grpc = new GrpcSpeechClient({ host, port: grpcServer.port });
  const rest = new RestSpeechClient({ host, port: restServer.port, connections: 4 });
  return {
    service: runtime.service,
    grpcPort: grpcServer.port,
    restPort: restServer.port,
    grpc,
    rest,
    async close() {
      grpc.close();
      rest.close();
      await Promise.all([grpcServer.close(), restServer.close()]);
      await runtime.close();
    },
  };
}
