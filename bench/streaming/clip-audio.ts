import { AudioEncoding, type RecognitionConfig } from '../../proto/gen/speech/v1/speech.js';
import { type CorpusClip, loadManifest, readClipPcmBytes } from '../corpus/manifest.js';
import type { StreamingAudio } from './audio-chunks.js';

/**
 * A corpus clip as raw PCM: LINEAR16 rather than WAV, so that every chunk is audio
 * and a result's audio duration maps straight to the chunk that completed it.
 */
export function clipAudio(
  clip: CorpusClip,
  sampleRateHertz = loadManifest().sampleRateHertz,
): StreamingAudio {
  return { pcm: readClipPcmBytes(clip), sampleRateHertz };
}

export function linear16Config(sampleRateHertz: number, languageCode = 'en-US'): RecognitionConfig {
  return { encoding: AudioEncoding.LINEAR16, sampleRateHertz, languageCode };
}
