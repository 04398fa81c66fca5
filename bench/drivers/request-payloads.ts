/**
 * The one request every driver sends for a benchmark, built once: the message, its
 * protobuf and gRPC-framed forms, its JSON body and (for audio RPCs) its raw-WAV body,
 * with a check for the answer. Sharing it is what makes the protocols comparable.
 */
import { RestSpeechClient } from '../../clients/rest-speech-client.js';
import type { CallOptions, SpeechClient } from '../../clients/speech-client.js';
import {
  AudioEncoding,
  ClassifyRequest,
  ClassifyResponse,
  type MessageFns,
  type RecognitionConfig,
  TranscribeAndClassifyRequest,
  TranscribeAndClassifyResponse,
  TranscribeRequest,
  TranscribeResponse,
} from '../../proto/gen/speech/v1/speech.js';
import { loadIntentLabels, loadIntents } from '../corpus/intents.js';
import { type ClipKind, type CorpusClip, loadManifest, readClipAudio } from '../corpus/manifest.js';
import { isAudioSize, type PayloadSize, sizedClip, sizedText } from '../corpus/sized-payloads.js';
import { checkClassification, checkTranscription } from './response-checks.js';

export const BENCH_RPCS = ['classify', 'transcribe', 'transcribe-and-classify'] as const;
export type BenchRpc = (typeof BENCH_RPCS)[number];

export interface PayloadChoice {
  readonly rpc: BenchRpc;
  /** Classify: the text (default: the first command of intents.json). */
  readonly text?: string;
  /** Audio RPCs: the first corpus clip of this kind (default `short3s`)… */
  readonly clipKind?: ClipKind;
  /** …or this clip. */
  readonly clipId?: string;
  /** A sweep's size (corpus/sized-payloads.ts): audio of that length, or a text of that size; over the rest. */
  readonly size?: PayloadSize;
}

/** A raw-audio upload: the pragmatic REST form, config and labels in the query. */
export interface RawWavBody {
  readonly path: string;
  readonly contentType: 'audio/wav';
  readonly body: Buffer;
}

export interface RequestPayload {
  readonly rpc: BenchRpc;
  /** For reports: `classify "turn on…"` or `transcribe short3s-001-slt`. */
  readonly description: string;
  readonly grpcPath: string;
  readonly restPath: string;
  readonly message: ClassifyRequest | TranscribeRequest | TranscribeAndClassifyRequest;
  readonly protobuf: Buffer;
  /** The protobuf behind gRPC's 5-byte prefix (uncompressed flag, big-endian length). */
  readonly grpcFrame: Buffer;
  readonly jsonBody: Buffer;
  /** Undefined for classify, which has no audio. */
  readonly rawWav: RawWavBody | undefined;
  /** Decodes a protobuf answer and checks it; the problem, or undefined when it is right. */
  checkProtobuf(bytes: Uint8Array): string | undefined;
  /** Parses a JSON answer body and checks it. */
  checkJson(body: string): string | undefined;
  /** Calls the RPC through a client library and checks the answer; rejects as the client does. */
  callClient(
    client: SpeechClient,
    options: CallOptions,
    form: 'json' | 'raw-wav',
  ): Promise<string | undefined>;
}

export function grpcFrameOf(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

interface Spec<Req, Res> {
  readonly rpc: BenchRpc;
  readonly description: string;
  readonly method: string;
  readonly restPath: string;
  readonly message: Req;
  readonly requestCodec: MessageFns<Req>;
  readonly responseCodec: MessageFns<Res>;
  readonly rawWav: RawWavBody | undefined;
  readonly expect: (response: Res) => string | undefined;
  readonly call: (client: SpeechClient, options: CallOptions, form: 'json' | 'raw-wav') => Promise<Res>;
}

function problemOf(error: unknown): string {
  return `the answer does not decode: ${error instanceof Error ? error.message : String(error)}`;
}

function build<Req extends RequestPayload['message'], Res>(spec: Spec<Req, Res>): RequestPayload {
  const protobuf = Buffer.from(spec.requestCodec.encode(spec.message).finish());
  return {
    rpc: spec.rpc,
    description: spec.description,
    grpcPath: `/speech.v1.SpeechService/${spec.method}`,
    restPath: spec.restPath,
    message: spec.message,
    protobuf,
    grpcFrame: grpcFrameOf(protobuf),
    jsonBody: Buffer.from(JSON.stringify(spec.requestCodec.toJSON(spec.message))),
    rawWav: spec.rawWav,
    checkProtobuf(bytes) {
      try {
        return spec.expect(spec.responseCodec.decode(bytes));
      } catch (error) {
        return problemOf(error);
      }
    },
    checkJson(body) {
      try {
        return spec.expect(spec.responseCodec.fromJSON(JSON.parse(body)));
      } catch (error) {
        return problemOf(error);
      }
    },
    async callClient(client, options, form) {
      return spec.expect(await spec.call(client, options, form));
    },
  };
}

const wavConfig: RecognitionConfig = {
  encoding: AudioEncoding.WAV,
  sampleRateHertz: 16_000,
  languageCode: 'en-US',
};
const wavQuery = 'encoding=WAV&sampleRateHertz=16000&languageCode=en-US';

function pickClip(choice: PayloadChoice): CorpusClip {
  const clips = loadManifest().clips;
  const kind = choice.clipKind ?? 'short3s';
  const clip = choice.clipId ? clips.find((c) => c.id === choice.clipId) : clips.find((c) => c.kind === kind);
  if (!clip) throw new Error(`no corpus clip ${choice.clipId ?? `of kind ${kind}`}`);
  return clip;
}

function classifyPayload(choice: PayloadChoice, labels: string[]): RequestPayload {
  const sized = choice.size !== undefined && !isAudioSize(choice.size) ? sizedText(choice.size) : undefined;
  const text = sized ?? choice.text ?? loadIntents()[0]!.text;
  const message: ClassifyRequest = {
    text,
    candidateLabels: labels,
    multiLabel: false,
    hypothesisTemplate: '',
  };
  return build({
    rpc: 'classify',
    description: `classify ${JSON.stringify(text)}`,
    method: 'Classify',
    restPath: '/v1/classify',
    message,
    requestCodec: ClassifyRequest,
    responseCodec: ClassifyResponse,
    rawWav: undefined,
    expect: (response) => checkClassification(response, labels),
    call: (client, options) => client.classify(message, options),
  });
}

function transcribePayload(clip: Pick<CorpusClip, 'id' | 'text'>, audio: Buffer): RequestPayload {
  const message: TranscribeRequest = { audio, config: wavConfig };
  const rawWav: RawWavBody = { path: `/v1/transcribe?${wavQuery}`, contentType: 'audio/wav', body: audio };
  return build({
    rpc: 'transcribe',
    description: `transcribe ${clip.id}`,
    method: 'Transcribe',
    restPath: '/v1/transcribe',
    message,
    requestCodec: TranscribeRequest,
    responseCodec: TranscribeResponse,
    rawWav,
    expect: (response) => checkTranscription(response, clip.text),
    call: (client, options, form) =>
      form === 'raw-wav' && client instanceof RestSpeechClient
        ? client.transcribeRaw(audio, wavConfig, options)
        : client.transcribe(message, options),
  });
}

function pipelinePayload(
  clip: Pick<CorpusClip, 'id' | 'text'>,
  audio: Buffer,
  labels: string[],
): RequestPayload {
  const message: TranscribeAndClassifyRequest = {
    audio,
    config: wavConfig,
    candidateLabels: labels,
    multiLabel: false,
    hypothesisTemplate: '',
  };
  const labelQuery = labels.map((label) => `candidateLabels=${encodeURIComponent(label)}`).join('&');
  const rawWav: RawWavBody = {
    path: `/v1/transcribe-and-classify?${wavQuery}&${labelQuery}`,
    contentType: 'audio/wav',
    body: audio,
  };
  return build({
    rpc: 'transcribe-and-classify',
    description: `transcribe-and-classify ${clip.id}`,
    method: 'TranscribeAndClassify',
    restPath: '/v1/transcribe-and-classify',
    message,
    requestCodec: TranscribeAndClassifyRequest,
    responseCodec: TranscribeAndClassifyResponse,
    rawWav,
    expect: (response) => {
      if (!response.transcription || !response.classification)
        return 'transcription or classification missing';
      return (
        checkTranscription(response.transcription, clip.text) ??
        checkClassification(response.classification, labels)
      );
    },
    // The REST client has no raw form for the pipeline: JSON is what it sends.
    call: (client, options) => client.transcribeAndClassify(message, options),
  });
}

export function buildRequestPayload(choice: PayloadChoice): RequestPayload {
  const labels = [...loadIntentLabels()];
  if (choice.rpc === 'classify') return classifyPayload(choice, labels);
  const sized = choice.size !== undefined && isAudioSize(choice.size) ? sizedClip(choice.size) : undefined;
  const picked = sized ? undefined : pickClip(choice);
  const clip = sized ?? picked!;
  const audio = sized?.wav ?? readClipAudio(picked!);
  return choice.rpc === 'transcribe' ? transcribePayload(clip, audio) : pipelinePayload(clip, audio, labels);
}
