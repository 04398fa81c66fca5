import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, readClipAudio, readClipPcmBytes } from '../bench/corpus/manifest.js';
import type { SpeechClient } from '../clients/speech-client.js';
import { AudioEncoding, type StreamingTranscribeResponse } from '../proto/gen/speech/v1/speech.js';
import { defaultLimits } from '../servers/core/limits.js';
import { comparable, outcomeOf } from './support/outcome.js';
import { startTestServers, type TestServers } from './support/test-servers.js';
import { tone, wavBytes } from './support/wav-bytes.js';

const manifest = loadManifest();
const command = manifest.clips.find((clip) => clip.kind === 'command')!;
const long = manifest.clips.find((clip) => clip.kind === 'long')!;
const labels = ['smart home', 'music', 'weather', 'alarm', 'shopping', 'navigation', 'messaging'];
const wav = { encoding: AudioEncoding.WAV, sampleRateHertz: 0, languageCode: 'en-US' };
const linear16 = { encoding: AudioEncoding.LINEAR16, sampleRateHertz: 16_000, languageCode: '' };

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

/**
 * A stream's final result. Partials depend on where the transport cut the audio
 * into chunks (TCP coalesces an HTTP body's chunks), so only the final one must match.
 */
async function finalOf(
  stream: AsyncGenerator<StreamingTranscribeResponse>,
): Promise<StreamingTranscribeResponse> {
  const messages = await collect(stream);
  expect(messages.filter((m) => m.isFinal)).toHaveLength(1);
  return messages.at(-1)!;
}

async function collect(
  stream: AsyncGenerator<StreamingTranscribeResponse>,
): Promise<StreamingTranscribeResponse[]> {
  const out: StreamingTranscribeResponse[] = [];
  for await (const message of stream) out.push(message);
  return out;
}

/** Stage timings are measurements of each call, the one field that may rightly differ. */
function withoutTimings<T>(outcome: T): T {
  if (outcome && typeof outcome === 'object' && 'value' in outcome) {
    const value = outcome.value;
    if (value && typeof value === 'object' && 'timings' in value)
      return { ...outcome, value: { ...value, timings: undefined } };
  }
  return outcome;
}

type Case = readonly [name: string, run: (client: SpeechClient) => Promise<unknown>, expected: 'OK' | string];

const cases: Case[] = [
  [
    'classify',
    (c) =>
      c.classify({
        text: 'play some jazz',
        candidateLabels: labels,
        multiLabel: false,
        hypothesisTemplate: '',
      }),
    'OK',
  ],
  [
    'classify multi-label',
    (c) =>
      c.classify({
        text: 'wake me up and play music',
        candidateLabels: labels,
        multiLabel: true,
        hypothesisTemplate: '',
      }),
    'OK',
  ],
  [
    'classify with a template',
    (c) =>
      c.classify({
        text: 'will it rain',
        candidateLabels: labels,
        multiLabel: false,
        hypothesisTemplate: 'This is about {}.',
      }),
    'OK',
  ],
  [
    'classify unicode',
    (c) =>
      c.classify({
        text: 'spiele Musik 🎵 café',
        candidateLabels: ['music', 'météo'],
        multiLabel: false,
        hypothesisTemplate: '',
      }),
    'OK',
  ],
  [
    'classify empty text',
    (c) => c.classify({ text: '  ', candidateLabels: labels, multiLabel: false, hypothesisTemplate: '' }),
    'INVALID_ARGUMENT',
  ],
  [
    'classify no labels',
    (c) => c.classify({ text: 'hello', candidateLabels: [], multiLabel: false, hypothesisTemplate: '' }),
    'INVALID_ARGUMENT',
  ],
  [
    'classify 1,000 labels',
    (c) =>
      c.classify({
        text: 'hello',
        candidateLabels: Array.from({ length: 1000 }, (_, i) => `label ${i}`),
        multiLabel: false,
        hypothesisTemplate: '',
      }),
    'INVALID_ARGUMENT',
  ],
  [
    'classify duplicate labels',
    (c) =>
      c.classify({ text: 'hello', candidateLabels: ['a', 'a'], multiLabel: false, hypothesisTemplate: '' }),
    'INVALID_ARGUMENT',
  ],
  [
    'classify empty label',
    (c) =>
      c.classify({ text: 'hello', candidateLabels: ['a', ''], multiLabel: false, hypothesisTemplate: '' }),
    'INVALID_ARGUMENT',
  ],
  [
    'classify template without {}',
    (c) =>
      c.classify({ text: 'hello', candidateLabels: ['a'], multiLabel: false, hypothesisTemplate: 'no slot' }),
    'INVALID_ARGUMENT',
  ],
  [
    'classify text over the limit',
    (c) =>
      c.classify({
        text: 'a'.repeat(defaultLimits.maxTextChars + 1),
        candidateLabels: ['a'],
        multiLabel: false,
        hypothesisTemplate: '',
      }),
    'INVALID_ARGUMENT',
  ],
  ['transcribe a corpus WAV', (c) => c.transcribe({ audio: readClipAudio(command), config: wav }), 'OK'],
  [
    'transcribe corpus LINEAR16',
    (c) => c.transcribe({ audio: readClipPcmBytes(command), config: linear16 }),
    'OK',
  ],
  [
    'transcribe empty audio',
    (c) => c.transcribe({ audio: Buffer.alloc(0), config: wav }),
    'INVALID_ARGUMENT',
  ],
  [
    'transcribe non-WAV bytes',
    (c) => c.transcribe({ audio: Buffer.from('definitely not a wav file'), config: wav }),
    'INVALID_ARGUMENT',
  ],
  [
    'transcribe 8 kHz WAV',
    (c) => c.transcribe({ audio: wavBytes(tone(1, 8000), { sampleRateHertz: 8000 }), config: wav }),
    'INVALID_ARGUMENT',
  ],
  [
    'transcribe stereo WAV',
    (c) => c.transcribe({ audio: wavBytes(tone(1), { channels: 2 }), config: wav }),
    'INVALID_ARGUMENT',
  ],
  [
    'transcribe odd LINEAR16',
    (c) => c.transcribe({ audio: Buffer.alloc(99), config: linear16 }),
    'INVALID_ARGUMENT',
  ],
  [
    'transcribe audio over the limit',
    (c) => c.transcribe({ audio: wavBytes(tone(61)), config: wav }),
    'RESOURCE_EXHAUSTED',
  ],
  [
    'transcribe unknown audio (reference engine)',
    (c) => c.transcribe({ audio: wavBytes(tone(1)), config: wav }),
    'UNIMPLEMENTED',
  ],
  [
    'transcribe-and-classify',
    (c) =>
      c.transcribeAndClassify({
        audio: readClipAudio(command),
        config: wav,
        candidateLabels: labels,
        multiLabel: false,
        hypothesisTemplate: '',
      }),
    'OK',
  ],
  [
    'transcribe-and-classify no labels',
    (c) =>
      c.transcribeAndClassify({
        audio: readClipAudio(command),
        config: wav,
        candidateLabels: [],
        multiLabel: false,
        hypothesisTemplate: '',
      }),
    'INVALID_ARGUMENT',
  ],
  [
    'transcribe-and-classify bad audio',
    (c) =>
      c.transcribeAndClassify({
        audio: Buffer.from('RIFF'),
        config: wav,
        candidateLabels: labels,
        multiLabel: false,
        hypothesisTemplate: '',
      }),
    'INVALID_ARGUMENT',
  ],
  ['server info', (c) => c.serverInfo(), 'OK'],
  [
    'stream a long clip',
    (c) => finalOf(c.streamingTranscribe(wav, chunksOf(readClipAudio(long), 3200))),
    'OK',
  ],
  [
    'stream raw LINEAR16 in odd-sized chunks',
    (c) => finalOf(c.streamingTranscribe(linear16, chunksOf(readClipPcmBytes(command), 3001))),
    'OK',
  ],
  [
    'stream non-WAV bytes',
    (c) => finalOf(c.streamingTranscribe(wav, chunksOf(Buffer.from('garbage, garbage and more garbage'), 8))),
    'INVALID_ARGUMENT',
  ],
  [
    'stream no audio',
    (c) => finalOf(c.streamingTranscribe(wav, chunksOf(Buffer.alloc(0), 8))),
    'INVALID_ARGUMENT',
  ],
  [
    'stream an unsupported language',
    (c) =>
      collect(
        c.streamingTranscribe({ ...wav, languageCode: 'de-DE' }, chunksOf(readClipAudio(command), 3200)),
      ),
    'INVALID_ARGUMENT',
  ],
  [
    'stream unknown audio (reference engine)',
    (c) => finalOf(c.streamingTranscribe(wav, chunksOf(wavBytes(tone(1)), 3200))),
    'UNIMPLEMENTED',
  ],
];

describe('gRPC and REST give the same answers to the same requests', () => {
  let servers: TestServers;
  beforeAll(async () => {
    servers = await startTestServers();
  });
  afterAll(async () => servers?.close());

  it.each(cases)('%s', async (_name, run, expected) => {
    const grpc = withoutTimings(await outcomeOf(() => run(servers.grpc)));
    const rest = withoutTimings(await outcomeOf(() => run(servers.rest)));
    expect(comparable(rest)).toEqual(comparable(grpc));
    expect(grpc.ok ? 'OK' : grpc.code).toBe(expected);
    if (!grpc.ok) expect(grpc.message.length).toBeGreaterThan(10);
    // A server that refused a request still serves the next one.
    const next = await servers.grpc.classify({
      text: 'hi',
      candidateLabels: ['a'],
      multiLabel: false,
      hypothesisTemplate: '',
    });
    expect(next.labels).toEqual(['a']);
  });

  it('streams partial results before the final one, and the final transcript matches the corpus', async () => {
    for (const client of [servers.grpc, servers.rest]) {
      const messages = await collect(client.streamingTranscribe(wav, chunksOf(readClipAudio(long), 3200)));
      const final = messages.at(-1)!;
      expect(final.isFinal).toBe(true);
      expect(final.transcript).toBe(long.text);
      expect(messages.filter((m) => !m.isFinal).length).toBeGreaterThan(5);
      expect(final.audioDuration).toBeCloseTo(long.durationSeconds, 2);
    }
  });
});
