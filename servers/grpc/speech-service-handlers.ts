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
import type { Admission, RequestGate } from '../core/request-gate.js';
import { invalidArgument } from '../core/service-error.js';
import type { SpeechService } from '../core/speech-service.js';
import { MalformedMessage, wireBytesOf } from './decode-guard.js';
import { credentialsOf, usageAnswer } from './grpc-gate.js';
import { toGrpcStatus } from './grpc-status.js';

type Guarded<T> = T | MalformedMessage;

function checked<T>(message: Guarded<T>): T {
  if (message instanceof MalformedMessage) {
    throw invalidArgument(`request is not a valid protobuf message: ${message.reason}`);
  }
  return message;
}

/**
 * Admitted by the gate, then handled; the ledger gets the message sizes, the answer's
 * from the serializer, which grpc-js runs inside the callback (0 if it ever stops doing so).
 */
function unary<Req, Res>(gate: RequestGate, handle: (request: Req) => Promise<Res>) {
  return (call: ServerUnaryCall<Guarded<Req>, Res>, callback: sendUnaryData<Res>): void => {
    let admission: Admission | undefined;
    Promise.resolve()
      .then(() => {
        admission = gate.admit(credentialsOf(call.metadata));
        admission.bytesIn = wireBytesOf(call.request);
        return handle(checked(call.request));
      })
      .then(
        (response) => {
          callback(null, response);
          admission?.noteResponse(response, wireBytesOf(response));
          admission?.finish(true);
        },
        (error: unknown) => {
          admission?.finish(false);
          callback(toGrpcStatus(error));
        },
      );
  };
}

/** Requests of a stream, ending early (and so releasing the engine) when the client cancels. */
async function* requestsOf(
  call: ServerDuplexStream<Guarded<StreamingTranscribeRequest>, StreamingTranscribeResponse>,
  admission: Admission,
): AsyncGenerator<StreamingTranscribeRequest> {
  // A plain for-await would destroy the whole duplex when the client half-closes,
  // before the final result is written.
  for await (const message of call.iterator({ destroyOnReturn: false })) {
    admission.bytesIn += wireBytesOf(message);
    yield checked(message as Guarded<StreamingTranscribeRequest>);
  }
}

function writeRespectingBackpressure<T>(call: ServerDuplexStream<unknown, T>, message: T): Promise<void> {
  if (call.write(message)) return Promise.resolve();
  return new Promise((resolve) => call.once('drain', resolve));
}

/** The gRPC face of the core: translation only (the gate's policy lives in servers/core). */
export function speechServiceHandlers(
  service: SpeechService,
  gate: RequestGate,
): UntypedServiceImplementation {
  return {
    classify: unary(gate, service.classify.bind(service)),
    transcribe: unary(gate, service.transcribe.bind(service)),
    transcribeAndClassify: unary(gate, service.transcribeAndClassify.bind(service)),
    getServerInfo: unary(gate, async () => service.serverInfo()),
    // Not admitted like the others: reading the ledger spends no quota and is never shed.
    usage: (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      try {
        callback(null, usageAnswer(gate, call.metadata));
      } catch (error) {
        callback(toGrpcStatus(error));
      }
    },
    streamingTranscribe: (
      call: ServerDuplexStream<Guarded<StreamingTranscribeRequest>, StreamingTranscribeResponse>,
    ) => {
      call.on('cancelled', () => call.destroy());
      let admission: Admission | undefined;
      (async () => {
        admission = gate.admit(credentialsOf(call.metadata));
        for await (const response of service.streamingTranscribe(requestsOf(call, admission))) {
          if (call.cancelled) {
            admission.finish(false);
            return;
          }
          const written = writeRespectingBackpressure(call, response);
          admission.noteResponse(response, wireBytesOf(response));
          await written;
        }
        admission.finish(!call.cancelled);
        call.end();
      })().catch((error: unknown) => {
        admission?.finish(false);
        if (!call.cancelled) call.emit('error', toGrpcStatus(error));
      });
    },
  };
}
