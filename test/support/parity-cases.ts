import { expect } from 'vitest';
import { loadManifest, readClipAudio, readClipPcmBytes } from '../../bench/corpus/manifest.js';
import type { SpeechClient } from '../../clients/speech-client.js';
import { AudioEncoding, type StreamingTranscribeResponse } from '../../proto/gen/speech/v1/speech.js';
import { defaultLimits } from '../../servers/core/limits.js';
import { tone, wavBytes } from './wav-bytes.js';

const manifest = loadManifest();
export const command = manifest.clips.find((clip) => clip.kind === 'command')!;
export const long = manifest.clips.find((clip) => clip.kind === 'long')!;
export const labels = ['smart home', 'music', 'weather', 'alarm', 'shopping', 'navigation', 'messaging'];
export const wav = { encoding: AudioEncoding.WAV, sampleRateHertz: 0, languageCode: 'en-US' };
export const linear16 = { encoding: AudioEncoding.LINEAR16, sampleRateHertz: 16_000, languageCode: '' };
export const classifyDefaults = { multiLabel: false, hypothesisTemplate: '' };

export async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

export async function collect(
  stream: AsyncGenerator<StreamingTranscribeResponse>,
): Promise<StreamingTranscribeResponse[]> {
  const out: StreamingTranscribeResponse[] = [];
  for await (const message of stream) out.push(message);
  return out;
}

/**
 * A stream's final result. Partials depend on where the transport cut the audio
 * into chunks (TCP coalesces an HTTP body's chunks), so only the final one must match.
 */
export async function finalOf(
  stream: AsyncGenerator<StreamingTranscribeResponse>,
): Promise<StreamingTranscribeResponse> {
  const messages = await collect(stream);
  expect(messages.filter((m) => m.isFinal)).toHaveLength(1);
  return messages.at(-1)!;
}

/** Stage timings are measurements of each call, the one field that may rightly differ. */
export function withoutTimings<T>(outcome: T): T {
  if (outcome && typeof outcome === 'object' && 'value' in outcome) {
    const value = outcome.value;
    if (value && typeof value === 'object' && 'timings' in value)
      return { ...outcome, value: { ...value, timings: undefined } };
  }
  return outcome;
}

/** What a comparison makes of a stream: every message (`collect`) or only the final one (`finalOf`). */
export type Streamed = (stream: AsyncGenerator<StreamingTranscribeResponse>) => Promise<unknown>;

/** The two sides each parity test puts the same calls to. */
export type Comparison = 'grpc-vs-rest' | 'grpc-js-vs-connect';

export interface ParityCase {
  readonly name: string;
  readonly run: (client: SpeechClient, streamed: Streamed) => Promise<unknown>;
  readonly expected: 'OK' | string;
  /**
   * Why the transport library, not the core, refuses this call: each library words
   * its message its own way, so only the codes must agree.
   */
  readonly refusedByTheTransport?: string;
  /** A case that applies to one comparison only, and why. */
  readonly only?: { readonly comparison: Comparison; readonly why: string };
}

/** The cases of `comparison`, named as `it.each` shows them. */
export function casesFor(comparison: Comparison): ParityCase[] {
  return parityCases.filter((c) => c.only === undefined || c.only.comparison === comparison);
}

/** One list of calls, each put to both sides of every comparison that it applies to. */
export const parityCases: readonly ParityCase[] = [
  {
    name: 'classify',
    run: (c) => c.classify({ text: 'play some jazz', candidateLabels: labels, ...classifyDefaults }),
    expected: 'OK',
  },
  {
    name: 'classify multi-label',
    run: (c) =>
      c.classify({
        text: 'wake me up and play music',
        candidateLabels: labels,
        multiLabel: true,
        hypothesisTemplate: '',
      }),
    expected: 'OK',
  },
  {
    name: 'classify with a template',
    run: (c) =>
      c.classify({
        text: 'will it rain',
        candidateLabels: labels,
        multiLabel: false,
        hypothesisTemplate: 'This is about {}.',
      }),
    expected: 'OK',
  },
  {
    name: 'classify multi-label with a template',
    run: (c) =>
      c.classify({
        text: 'wake me up and play music',
        candidateLabels: labels,
        multiLabel: true,
        hypothesisTemplate: 'This is about {}.',
      }),
    expected: 'OK',
  },
  {
    name: 'classify unicode',
    run: (c) =>
      c.classify({ text: 'spiele Musik 🎵 café', candidateLabels: ['music', 'météo'], ...classifyDefaults }),
    expected: 'OK',
  },
  {
    name: 'classify empty text',
    run: (c) => c.classify({ text: '  ', candidateLabels: labels, ...classifyDefaults }),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'classify no labels',
    run: (c) => c.classify({ text: 'hello', candidateLabels: [], ...classifyDefaults }),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'classify too many labels',
    run: (c) =>
      c.classify({
        text: 'hello',
        candidateLabels: Array.from({ length: defaultLimits.maxLabels + 1 }, (_, i) => `label ${i}`),
        ...classifyDefaults,
      }),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'classify duplicate labels',
    run: (c) => c.classify({ text: 'hello', candidateLabels: ['a', 'a'], ...classifyDefaults }),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'classify empty label',
    run: (c) => c.classify({ text: 'hello', candidateLabels: ['a', ''], ...classifyDefaults }),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'classify template without {}',
    run: (c) =>
      c.classify({ text: 'hello', candidateLabels: ['a'], multiLabel: false, hypothesisTemplate: 'no slot' }),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'classify text over the limit',
    run: (c) =>
      c.classify({
        text: 'a'.repeat(defaultLimits.maxTextChars + 1),
        candidateLabels: ['a'],
        ...classifyDefaults,
      }),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'transcribe a corpus WAV',
    run: (c) => c.transcribe({ audio: readClipAudio(command), config: wav }),
    expected: 'OK',
  },
  {
    name: 'transcribe corpus LINEAR16',
    run: (c) => c.transcribe({ audio: readClipPcmBytes(command), config: linear16 }),
    expected: 'OK',
  },
  {
    name: 'transcribe with no config',
    run: (c) => c.transcribe({ audio: readClipAudio(command), config: undefined }),
    expected: 'OK',
  },
  {
    name: 'transcribe an unknown encoding number',
    run: (c) =>
      c.transcribe({ audio: readClipAudio(command), config: { ...wav, encoding: 7 as AudioEncoding } }),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'transcribe empty audio',
    run: (c) => c.transcribe({ audio: Buffer.alloc(0), config: wav }),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'transcribe non-WAV bytes',
    run: (c) => c.transcribe({ audio: Buffer.from('definitely not a wav file'), config: wav }),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'transcribe 8 kHz WAV',
    run: (c) => c.transcribe({ audio: wavBytes(tone(1, 8000), { sampleRateHertz: 8000 }), config: wav }),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'transcribe stereo WAV',
    run: (c) => c.transcribe({ audio: wavBytes(tone(1), { channels: 2 }), config: wav }),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'transcribe odd LINEAR16',
    run: (c) => c.transcribe({ audio: Buffer.alloc(99), config: linear16 }),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'transcribe audio over the limit',
    run: (c) => c.transcribe({ audio: wavBytes(tone(61)), config: wav }),
    expected: 'RESOURCE_EXHAUSTED',
  },
  {
    name: 'transcribe unknown audio (reference engine)',
    run: (c) => c.transcribe({ audio: wavBytes(tone(1)), config: wav }),
    expected: 'UNIMPLEMENTED',
  },
  {
    name: 'transcribe-and-classify',
    run: (c) =>
      c.transcribeAndClassify({
        audio: readClipAudio(command),
        config: wav,
        candidateLabels: labels,
        ...classifyDefaults,
      }),
    expected: 'OK',
  },
  {
    name: 'transcribe-and-classify no labels',
    run: (c) =>
      c.transcribeAndClassify({
        audio: readClipAudio(command),
        config: wav,
        candidateLabels: [],
        ...classifyDefaults,
      }),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'transcribe-and-classify non-WAV audio',
    run: (c) =>
      c.transcribeAndClassify({
        audio: Buffer.from('RIFF'),
        config: wav,
        candidateLabels: labels,
        ...classifyDefaults,
      }),
    expected: 'INVALID_ARGUMENT',
  },
  { name: 'server info (an int64 field)', run: (c) => c.serverInfo(), expected: 'OK' },
  {
    name: 'stream a long clip',
    run: (c, streamed) => streamed(c.streamingTranscribe(wav, chunksOf(readClipAudio(long), 3200))),
    expected: 'OK',
  },
  {
    name: 'stream raw LINEAR16 in odd-sized chunks',
    run: (c, streamed) =>
      streamed(c.streamingTranscribe(linear16, chunksOf(readClipPcmBytes(command), 3001))),
    expected: 'OK',
  },
  {
    name: 'stream non-WAV bytes',
    run: (c, streamed) =>
      streamed(c.streamingTranscribe(wav, chunksOf(Buffer.from('garbage, garbage and more garbage'), 8))),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'stream no audio',
    run: (c, streamed) => streamed(c.streamingTranscribe(wav, chunksOf(Buffer.alloc(0), 8))),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'stream an unsupported language',
    run: (c, streamed) =>
      streamed(
        c.streamingTranscribe({ ...wav, languageCode: 'de-DE' }, chunksOf(readClipAudio(command), 3200)),
      ),
    expected: 'INVALID_ARGUMENT',
  },
  {
    name: 'stream unknown audio (reference engine)',
    run: (c, streamed) => streamed(c.streamingTranscribe(wav, chunksOf(wavBytes(tone(1)), 3200))),
    expected: 'UNIMPLEMENTED',
  },
  {
    name: 'stream one message over the transport limit',
    run: (c, streamed) =>
      streamed(c.streamingTranscribe(wav, chunksOf(Buffer.alloc(defaultLimits.maxAudioBytes * 2), 8e6))),
    expected: 'RESOURCE_EXHAUSTED',
    refusedByTheTransport:
      'a gRPC message over the maximum size is refused by the library before the core sees it',
    only: {
      comparison: 'grpc-js-vs-connect',
      why: 'REST streams one HTTP body, not messages: there is no message limit, and the core sees zeros, not a WAV',
    },
  },
  {
    name: 'stream audio over the limit',
    run: (c, streamed) => streamed(c.streamingTranscribe(wav, chunksOf(wavBytes(tone(61)), 64 * 1024))),
    expected: 'RESOURCE_EXHAUSTED',
  },
];
