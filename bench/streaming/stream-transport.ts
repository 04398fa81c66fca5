import type { RecognitionConfig, StreamingTranscribeResponse } from '../../proto/gen/speech/v1/speech.js';
import type { ServiceError } from '../../servers/core/service-error.js';

export type StreamingProtocol = 'grpc' | 'rest';

export interface StreamHandlers {
  onMessage(message: StreamingTranscribeResponse): void;
  /** The call is over: cleanly (no error) or not. Called exactly once per call. */
  onClose(error: ServiceError | undefined): void;
}

/** One streaming call as the scenario drives it: audio in, results out through the handlers. */
export interface StreamingCall {
  /**
   * Hands one audio chunk to the transport. Resolves when it can take more, or at
   * once with false when the call is already over, so that a writer never waits
   * on a call that has ended.
   */
  write(chunk: Uint8Array): Promise<boolean>;
  /** No more audio (half-close). */
  end(): void;
  /** Abandons the call; its onClose still fires, if it has not yet. */
  cancel(): void;
}

/**
 * One protocol's way to run a stream on a connection of its own. Thin on purpose:
 * the scenario's hard rule is that no call can hang, so every wait ends when the
 * call does (`clients/call-closure.ts`, shared with the SpeechClients).
 */
export interface StreamTransport {
  readonly protocol: StreamingProtocol;
  /** One small unary call, so that the connection is up before the measured stream. */
  warmUp(timeoutMs: number): Promise<void>;
  open(config: RecognitionConfig, handlers: StreamHandlers): StreamingCall;
  close(): void;
}
