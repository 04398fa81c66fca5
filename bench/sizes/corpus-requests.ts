/**
 * The requests whose sizes are compared, built from the corpus as the benchmark
 * builds them (bench/drivers/request-payloads.ts): the same labels, the same WAV
 * config, whole WAV files as the audio bytes.
 */
import {
  AudioEncoding,
  type ClassifyRequest,
  type RecognitionConfig,
  type TranscribeAndClassifyRequest,
  type TranscribeRequest,
} from '../../proto/gen/speech/v1/speech.js';
import { loadIntentLabels, loadIntents } from '../corpus/intents.js';
import { type CorpusClip, loadManifest, readClipAudio } from '../corpus/manifest.js';

/** The corpus clips the audio cases use: a 3 s command and the 30 s dictation. */
export const SHORT_CLIP_ID = 'short3s-001-slt';
export const LONG_CLIP_ID = 'long-30s-note-rms';

const wavConfig: RecognitionConfig = {
  encoding: AudioEncoding.WAV,
  sampleRateHertz: 16_000,
  languageCode: 'en-US',
};

export interface CorpusRequests {
  readonly labels: readonly string[];
  readonly shortClip: CorpusClip;
  readonly longClip: CorpusClip;
  /** The clip whose transcript is the long text. */
  readonly longestText: CorpusClip;
  /** The first command of intents.json, as every classify benchmark sends it. */
  readonly classifyShort: ClassifyRequest;
  /** The longest transcript of the corpus (a `long` dictation) as the text to classify. */
  readonly classifyLong: ClassifyRequest;
  readonly transcribe3s: TranscribeRequest;
  readonly transcribe30s: TranscribeRequest;
  readonly pipeline3s: TranscribeAndClassifyRequest;
}

function clipById(clips: readonly CorpusClip[], id: string): CorpusClip {
  const clip = clips.find((c) => c.id === id);
  if (!clip) throw new Error(`the corpus has no clip ${id}`);
  return clip;
}

function classifyRequest(text: string, labels: readonly string[]): ClassifyRequest {
  return { text, candidateLabels: [...labels], multiLabel: false, hypothesisTemplate: '' };
}

export function buildCorpusRequests(): CorpusRequests {
  const clips = loadManifest().clips;
  const labels = loadIntentLabels();
  const shortClip = clipById(clips, SHORT_CLIP_ID);
  const longClip = clipById(clips, LONG_CLIP_ID);
  const longest = clips.reduce((a, b) => (b.text.length > a.text.length ? b : a));
  const shortAudio = readClipAudio(shortClip);
  return {
    labels,
    shortClip,
    longClip,
    longestText: longest,
    classifyShort: classifyRequest(loadIntents()[0]!.text, labels),
    classifyLong: classifyRequest(longest.text, labels),
    transcribe3s: { audio: shortAudio, config: wavConfig },
    transcribe30s: { audio: readClipAudio(longClip), config: wavConfig },
    pipeline3s: {
      audio: shortAudio,
      config: wavConfig,
      candidateLabels: [...labels],
      multiLabel: false,
      hypothesisTemplate: '',
    },
  };
}
