import { type ServiceError as GrpcError, Metadata } from '@grpc/grpc-js';
import { CallClosure } from '../../clients/call-closure.js';
import type { ClientTls } from '../../clients/client-tls.js';
import { channelCredentials, serverNameOption } from '../../clients/grpc-speech-client.js';
import {
  type RecognitionConfig,
  SpeechServiceClient,
  type StreamingTranscribeResponse,
} from '../../proto/gen/speech/v1/speech.js';
import { ServiceError } from '../../servers/core/service-error.js';
import { codeNameOf } from '../../servers/core/status-codes.js';
import { formatHostPort } from '../../servers/host-port.js';
import type { StreamHandlers, StreamingCall, StreamTransport } from './stream-transport.js';

function serviceErrorOf(error: Error): ServiceError {
  const code = (error as Partial<GrpcError>).code;
  if (typeof code === 'number') return new ServiceError(codeNameOf(code), (error as GrpcError).details);
  return new ServiceError('UNKNOWN', error.message);
}

/** gRPC through grpc-js and the generated stub: the library's cost is part of what is measured. */
export class GrpcStreamTransport implements StreamTransport {
  readonly protocol = 'grpc';
  private readonly client: SpeechServiceClient;

  /** Without `tls`, plaintext (h2c). */
  constructor(host: string, port: number, tls?: ClientTls) {
    // A subchannel of its own, so that this stream's bytes are on this connection only.
    this.client = new SpeechServiceClient(formatHostPort(host, port), channelCredentials(tls), {
      'grpc.use_local_subchannel_pool': 1,
      ...serverNameOption(tls),
    });
  }

  warmUp(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.getServerInfo({}, new Metadata(), { deadline: Date.now() + timeoutMs }, (error) =>
        error ? reject(serviceErrorOf(error)) : resolve(),
      );
    });
  }

  open(config: RecognitionConfig, handlers: StreamHandlers): StreamingCall {
    const closure = new CallClosure(handlers);
    const call = this.client.streamingTranscribe(new Metadata());
    call.on('data', (message: StreamingTranscribeResponse) => {
      if (!closure.isClosed) handlers.onMessage(message);
    });
    call.on('error', (error: Error) => closure.close(serviceErrorOf(error)));
    call.on('end', () => closure.close(undefined));
    call.write({ request: { $case: 'config', config } });
    return {
      async write(chunk) {
        if (closure.isClosed) return false;
        if (call.write({ request: { $case: 'audioChunk', audioChunk: Buffer.from(chunk) } })) return true;
        return closure.waitFor(call, 'drain');
      },
      end() {
        if (!closure.isClosed) call.end();
      },
      cancel() {
        call.cancel();
        closure.close(new ServiceError('CANCELLED', 'cancelled by the scenario'));
      },
    };
  }

  close(): void {
    this.client.close();
  }
}
