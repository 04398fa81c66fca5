import { create } from '@bufbuild/protobuf';
import type {
  AudioEncoding,
  ClassifyRequest,
  ClassifyResponse,
  RecognitionConfig,
  ServerInfo,
  StreamingTranscribeRequest,
  StreamingTranscribeResponse,
  TranscribeAndClassifyRequest,
  TranscribeAndClassifyResponse,
  TranscribeRequest,
  TranscribeResponse,
} from '../../proto/gen/speech/v1/speech.js';
import * as es from '../../proto/gen-es/speech/v1/speech_pb.js';

/*
 * connect decodes into protobuf-es messages; the core speaks ts-proto's types. Both
 * come from one proto, so the shapes differ in three places only: bytes (Buffer vs
 * Uint8Array), the oneof (`$case` vs `case`/`value`) and int64 (number vs bigint).
 * Copying fields costs a few object literals per call (measured: about 0.2 µs for
 * a classify request and response); going through the wire format instead
 * (toBinary, then ts-proto's decode) took about 15 µs, more than connect's own
 * parse and serialize, and 1-2 ms for a 1.9 MB audio request: it would charge
 * connect for work that is the bridge's, not the implementation's.
 */

/** A view, not a copy: connect gives every request message a buffer of its own. */
function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Both enums are the proto's numbers; unknown values pass through for the core to refuse. */
function encodingOf(encoding: es.AudioEncoding): AudioEncoding {
  return encoding as number as AudioEncoding;
}

function configOf(config: es.RecognitionConfig | undefined): RecognitionConfig | undefined {
  return (
    config && {
      encoding: encodingOf(config.encoding),
      sampleRateHertz: config.sampleRateHertz,
      languageCode: config.languageCode,
    }
  );
}

export function classifyRequestOf(request: es.ClassifyRequest): ClassifyRequest {
  return {
    text: request.text,
    candidateLabels: request.candidateLabels,
    multiLabel: request.multiLabel,
    hypothesisTemplate: request.hypothesisTemplate,
  };
}

export function transcribeRequestOf(request: es.TranscribeRequest): TranscribeRequest {
  return { audio: bufferOf(request.audio), config: configOf(request.config) };
}

export function transcribeAndClassifyRequestOf(
  request: es.TranscribeAndClassifyRequest,
): TranscribeAndClassifyRequest {
  return {
    audio: bufferOf(request.audio),
    config: configOf(request.config),
    candidateLabels: request.candidateLabels,
    multiLabel: request.multiLabel,
    hypothesisTemplate: request.hypothesisTemplate,
  };
}

export function streamingRequestOf(request: es.StreamingTranscribeRequest): StreamingTranscribeRequest {
  switch (request.request.case) {
    case 'config':
      return { request: { $case: 'config', config: configOf(request.request.value)! } };
    case 'audioChunk':
      return { request: { $case: 'audioChunk', audioChunk: bufferOf(request.request.value) } };
    default:
      return { request: undefined };
  }
}

// Responses: ts-proto's shapes are valid protobuf-es initializers wherever no int64 is involved.

export function classifyResponseOf(response: ClassifyResponse): es.ClassifyResponse {
  return create(es.ClassifyResponseSchema, response);
}

export function transcribeResponseOf(response: TranscribeResponse): es.TranscribeResponse {
  return create(es.TranscribeResponseSchema, response);
}

export function transcribeAndClassifyResponseOf(
  response: TranscribeAndClassifyResponse,
): es.TranscribeAndClassifyResponse {
  return create(es.TranscribeAndClassifyResponseSchema, response);
}

export function streamingResponseOf(response: StreamingTranscribeResponse): es.StreamingTranscribeResponse {
  return create(es.StreamingTranscribeResponseSchema, response);
}

export function serverInfoOf(info: ServerInfo): es.ServerInfo {
  const limits = info.limits && { ...info.limits, maxAudioBytes: BigInt(info.limits.maxAudioBytes) };
  return create(es.ServerInfoSchema, { ...info, limits });
}
