import type { Transcription } from '../../../core/engines.js';

/**
 * Exact zeros carry no signal at all, yet the decoder, whose features take the log
 * of frame energy, turns them into words ("dog"). Dithering would cure that at ten
 * times the decode cost on silence; recognising the case is free.
 */
export function isDigitalSilence(samples: Int16Array): boolean {
  for (let i = 0; i < samples.length; i++) if (samples[i] !== 0) return false;
  return true;
}

export function emptyTranscription(audioDurationSeconds: number): Transcription {
  return { transcript: '', confidence: 0, audioDurationSeconds, words: [] };
}
