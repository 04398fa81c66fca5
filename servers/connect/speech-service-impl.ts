import type { ServiceImpl } from '@connectrpc/connect';
import type { StreamingTranscribeRequest } from '../../proto/gen/speech/v1/speech.js';
import type * as es from '../../proto/gen-es/speech/v1/speech_pb.js';
import type { SpeechService } from '../core/speech-service.js';
import { fromConnectError, toConnectError } from './connect-status.js';
import {
  classifyRequestOf,
  classifyResponseOf,
  serverInfoOf,
  streamingRequestOf,
  streamingResponseOf,
  transcribeAndClassifyRequestOf,
  transcribeAndClassifyResponseOf,
  transcribeRequestOf,
  transcribeResponseOf,
} from './message-translation.js';

/** connect turns any other thrown value into a bare "internal error"; the core's errors keep their code. */
function unary<Req, Res>(handle: (request: Req) => Promise<Res>): (request: Req) => Promise<Res> {
  return async (request) => {
    try {
      return await handle(request);
    } catch (error) {
      throw toConnectError(error);
    }
  };
}

async function* requestsOf(
  requests: AsyncIterable<es.StreamingTranscribeRequest>,
): AsyncGenerator<StreamingTranscribeRequest> {
  try {
    for await (const request of requests) yield streamingRequestOf(request);
  } catch (error) {
    throw fromConnectError(error);
  }
}

/** The connect face of the core: translation only. */
export function speechServiceImpl(service: SpeechService): ServiceImpl<typeof es.SpeechService> {
  return {
    classify: unary(async (request) =>
      classifyResponseOf(await service.classify(classifyRequestOf(request))),
    ),
    transcribe: unary(async (request) =>
      transcribeResponseOf(await service.transcribe(transcribeRequestOf(request))),
    ),
    transcribeAndClassify: unary(async (request) =>
      transcribeAndClassifyResponseOf(
        await service.transcribeAndClassify(transcribeAndClassifyRequestOf(request)),
      ),
    ),
    getServerInfo: unary(async () => serverInfoOf(service.serverInfo())),
    // Ending early (a cancelled call) returns the core's generator, which releases the engine.
    async *streamingTranscribe(requests) {
      try {
        for await (const response of service.streamingTranscribe(requestsOf(requests))) {
          yield streamingResponseOf(response);
        }
      } catch (error) {
        throw toConnectError(error);
      }
    },
  };
}
