import type {
  ServerDuplexStream,
  ServerUnaryCall,
  sendUnaryData,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type {
  StreamingTranscribeRequest,
  StreamingTranscribeResponse,
} from '../../proto/gen/speech/v1/speech.js';
import { invalidArgument } from '../core/service-error.js';
import type { SpeechService } from '../core/speech-service.js';
import { MalformedMessage } from './decode-guard.js';
import { toGrpcStatus } from './grpc-status.js';

type Guarded<T> = T | MalformedMessage;

function checked<T>(message: Guarded<T>): T {
  if (message instanceof MalformedMessage) {
    throw invalidArgument(`request is not a valid protobuf message: ${message.reason}`);
  }
  return message;
}

function unary<Req, Res>(handle: (request: Req) => Promise<Res>) {
  return (call: ServerUnaryCall<Guarded<Req>, Res>, callback: sendUnaryData<Res>): void => {
    Promise.resolve()
      .then(() => handle(checked(call.request)))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(toGrpcStatus(error)),
      );
  };
}

/** Requests of a stream, ending early (and so releasing the engine) when the client cancels. */
async function* requestsOf(
  call: ServerDuplexStream<Guarded<StreamingTranscribeRequest>, StreamingTranscribeResponse>,
): AsyncGenerator<StreamingTranscribeRequest> {
  // A plain for-await would destroy the whole duplex when the client half-closes,
  // before the final result is written.
  for await (const message of call.iterator({ destroyOnReturn: false })) {
    yield checked(message as Guarded<StreamingTranscribeRequest>);
  }
}

function writeRespectingBackpressure<T>(call: ServerDuplexStream<unknown, T>, message: T): Promise<void> {
  if (call.write(message)) return Promise.resolve();
  return new Promise((resolve) => call.once('drain', resolve));
}

/** The gRPC face of the core: translation only. */
export function speechServiceHandlers(service: SpeechService): UntypedServiceImplementation {
  return {
    classify: unary(service.classify.bind(service)),
    transcribe: unary(service.transcribe.bind(service)),
    transcribeAndClassify: unary(service.transcribeAndClassify.bind(service)),
    getServerInfo: unary(async () => service.serverInfo()),
    streamingTranscribe: (
      call: ServerDuplexStream<Guarded<StreamingTranscribeRequest>, StreamingTranscribeResponse>,
    ) => {
      call.on('cancelled', () => call.destroy());
      (async () => {
        for await (const response of service.streamingTranscribe(requestsOf(call))) {
          if (call.cancelled) return;
          await writeRespectingBackpressure(call, response);
        }
        call.end();
      })().catch((error: unknown) => {
        if (!call.cancelled) call.emit('error', toGrpcStatus(error));
      });
    },
  };
}
