import type { Transcription } from '../../../core/engines.js';
import { ServiceError, toServiceError } from '../../../core/service-error.js';
import { type NativeResult, nativeErrorCode } from './native-binding.js';

/** A decoder result in the core's terms; frame numbers become seconds from the start of the audio. */
export function toTranscription(
  result: NativeResult,
  audioDurationSeconds: number,
  framesPerSecond: number,
): Transcription {
  // The last analysis frame overhangs the audio by up to one window.
  const seconds = (frame: number): number => Math.min(frame / framesPerSecond, audioDurationSeconds);
  return {
    transcript: result.hyp,
    confidence: result.confidence,
    audioDurationSeconds,
    words: result.words.map((word) => ({
      word: word.word,
      startSeconds: seconds(word.startFrame),
      endSeconds: seconds(word.endFrame + 1),
      confidence: word.prob,
    })),
  };
}

/** What a client may see of a failure inside the addon. */
export function fromNativeError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  if (nativeErrorCode(error) === 'ERR_DECODER_DESTROYED') {
    return new ServiceError('UNAVAILABLE', 'the sphinx engine is closed', 'ENGINE_UNAVAILABLE');
  }
  return toServiceError(error);
}
