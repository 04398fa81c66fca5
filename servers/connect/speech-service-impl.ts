import { create } from '@bufbuild/protobuf';
import type { HandlerContext, ServiceImpl } from '@connectrpc/connect';
import type { StreamingTranscribeRequest } from '../../proto/gen/speech/v1/speech.js';
import * as es from '../../proto/gen-es/speech/v1/speech_pb.js';
import type { RequestGate } from '../core/request-gate.js';
import type { SpeechService } from '../core/speech-service.js';
import { credentialsOf, noteAnswer } from './connect-gate.js';
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
function unary<Req, Res>(
  handle: (request: Req, context: HandlerContext) => Promise<Res>,
): (request: Req, context: HandlerContext) => Promise<Res> {
  return async (request, context) => {
    try {
      return await handle(request, context);
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
/** The answer, noted for the usage ledger (its seconds of audio; the gate counts the bytes). */
function noted<T>(context: HandlerContext, response: T): T {
  noteAnswer(context.requestHeader, response);
  return response;
}

/** The ledger as the `Usage` RPC answers it (int64 as bigint, as protobuf-es has it). */
function usageOf(gate: RequestGate, context: HandlerContext): es.UsageResponse {
  gate.authenticate(credentialsOf(context.requestHeader));
  const report = gate.ledger.report();
  return create(es.UsageResponseSchema, {
    ...report,
    keys: report.keys.map((usage) => ({
      ...usage,
      requests: BigInt(usage.requests),
      ok: BigInt(usage.ok),
      failed: BigInt(usage.failed),
      rejectedByCode: Object.fromEntries(
        Object.entries(usage.rejectedByCode).map(([code, count]) => [code, BigInt(count)]),
      ),
      bytesIn: BigInt(usage.bytesIn),
      bytesOut: BigInt(usage.bytesOut),
    })),
  });
}

/** The connect face of the core: translation only (the gate's policy lives in servers/core, its hook in connect-gate.ts). */
export function speechServiceImpl(
  service: SpeechService,
  gate: RequestGate,
): ServiceImpl<typeof es.SpeechService> {
  return {
    classify: unary(async (request, context) =>
      classifyResponseOf(noted(context, await service.classify(classifyRequestOf(request)))),
    ),
    transcribe: unary(async (request, context) =>
      transcribeResponseOf(noted(context, await service.transcribe(transcribeRequestOf(request)))),
    ),
    transcribeAndClassify: unary(async (request, context) =>
      transcribeAndClassifyResponseOf(
        noted(context, await service.transcribeAndClassify(transcribeAndClassifyRequestOf(request))),
      ),
    ),
    getServerInfo: unary(async () => serverInfoOf(service.serverInfo())),
    usage: unary(async (_request, context) => usageOf(gate, context)),
    // Ending early (a cancelled call) returns the core's generator, which releases the engine.
    async *streamingTranscribe(requests, context) {
      try {
        for await (const response of service.streamingTranscribe(requestsOf(requests))) {
          yield streamingResponseOf(noted(context, response));
        }
      } catch (error) {
        throw toConnectError(error);
      }
    },
  };
}
