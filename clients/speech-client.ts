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
import type { RetryNotice } from './pushback-retry.js';

export interface CallOptions {
  /** Milliseconds until the call fails with DEADLINE_EXCEEDED. */
  readonly deadlineMs?: number;
  /** Attempts of a unary call the server pushes back on, within the deadline (default: the client's). */
  readonly maxAttempts?: number;
  /** Told before each retry: the attempts a call made are reported this way. */
  readonly onRetry?: (notice: RetryNotice) => void;
}

/** What both clients take for auth and pushback. */
export interface ClientPolicyOptions {
  /**
   * Sent as `authorization: Bearer KEY` (plain metadata for gRPC: grpc-js refuses call
   * credentials on an insecure channel, so without TLS the key travels in clear: dev mode).
   */
  readonly apiKey?: string;
  /** Attempts of a unary call when the server pushes back (default 3; 1 = never retry). */
  readonly pushbackAttempts?: number;
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
