import type {
  ClassifyRequest,
  ClassifyResponse,
  RecognitionConfig,
  ServerInfo,
  StreamingTranscribeResponse,
  TranscribeAndClassifyRequest,
  TranscribeAndClassifyResponse,
  TranscribeRequest,
  TranscribeResponse,
} from '../proto/gen/speech/v1/speech.js';

export interface CallOptions {
  /** Milliseconds until the call fails with DEADLINE_EXCEEDED. */
  readonly deadlineMs?: number;
}

/**
 * One interface over both protocols: the same methods, the same message types,
 * and failures as `ServiceError` with the same codes.
 */
export interface SpeechClient {
  readonly protocol: 'grpc' | 'rest';
  classify(request: ClassifyRequest, options?: CallOptions): Promise<ClassifyResponse>;
  transcribe(request: TranscribeRequest, options?: CallOptions): Promise<TranscribeResponse>;
  transcribeAndClassify(
    request: TranscribeAndClassifyRequest,
    options?: CallOptions,
  ): Promise<TranscribeAndClassifyResponse>;
  /** Sends the config, then the audio chunks as they come; yields partial results and the final one. */
  streamingTranscribe(
    config: RecognitionConfig,
    audio: AsyncIterable<Uint8Array>,
    options?: CallOptions,
  ): AsyncGenerator<StreamingTranscribeResponse>;
  serverInfo(options?: CallOptions): Promise<ServerInfo>;
  close(): void;
}
