import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, readClipAudio, readClipPcmBytes } from '../../bench/corpus/manifest.js';
import type { GrpcSpeechClient } from '../../clients/grpc-speech-client.js';
import {
  AudioEncoding,
  ClassifyRequest,
  type StreamingTranscribeResponse,
  TranscribeRequest,
} from '../../proto/gen/speech/v1/speech.js';
import { defaultLimits } from '../../servers/core/limits.js';
import { comparable, outcomeOf } from '../support/outcome.js';
import { grpcRawStatus } from '../support/raw-calls.js';
import { tone, wavBytes } from '../support/wav-bytes.js';
import { type GrpcAndConnectServers, startGrpcAndConnectServers } from './grpc-and-connect-servers.js';

const manifest = loadManifest();
const command = manifest.clips.find((clip) => clip.kind === 'command')!;
const long = manifest.clips.find((clip) => clip.kind === 'long')!;
const labels = ['smart home', 'music', 'weather', 'alarm', 'shopping', 'navigation', 'messaging'];
const wav = { encoding: AudioEncoding.WAV, sampleRateHertz: 0, languageCode: 'en-US' };
const linear16 = { encoding: AudioEncoding.LINEAR16, sampleRateHertz: 16_000, languageCode: '' };
const classifyDefaults = { multiLabel: false, hypothesisTemplate: '' };

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
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

type Case = readonly [name: string, run: (client: GrpcSpeechClient) => Promise<unknown>, expected: string];

/** Calls the library, not the core, refuses: each library words its message its own way. */
const refusedByTheTransport = new Set(['stream one message over the transport limit']);

const cases: Case[] = [
  [
    'classify',
    (c) => c.classify({ text: 'play some jazz', candidateLabels: labels, ...classifyDefaults }),
    'OK',
  ],
  [
    'classify multi-label with a template',
    (c) =>
      c.classify({
        text: 'wake me up and play music',
        candidateLabels: labels,
        multiLabel: true,
        hypothesisTemplate: 'This is about {}.',
      }),
    'OK',
  ],
  [
    'classify unicode',
    (c) =>
      c.classify({ text: 'spiele Musik 🎵 café', candidateLabels: ['music', 'météo'], ...classifyDefaults }),
    'OK',
  ],
  [
    'classify empty text',
    (c) => c.classify({ text: '  ', candidateLabels: labels, ...classifyDefaults }),
    'INVALID_ARGUMENT',
  ],
  [
    'classify no labels',
    (c) => c.classify({ text: 'hello', candidateLabels: [], ...classifyDefaults }),
    'INVALID_ARGUMENT',
  ],
  [
    'classify too many labels',
    (c) =>
      c.classify({
        text: 'hello',
        candidateLabels: Array.from({ length: defaultLimits.maxLabels + 1 }, (_, i) => `label ${i}`),
        ...classifyDefaults,
      }),
    'INVALID_ARGUMENT',
  ],
  [
    'classify text over the limit',
    (c) =>
      c.classify({
        text: 'a'.repeat(defaultLimits.maxTextChars + 1),
        candidateLabels: ['a'],
        ...classifyDefaults,
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
    'transcribe with no config',
    (c) => c.transcribe({ audio: readClipAudio(command), config: undefined }),
    'OK',
  ],
  [
    'transcribe an unknown encoding number',
    (c) => c.transcribe({ audio: readClipAudio(command), config: { ...wav, encoding: 7 as AudioEncoding } }),
    'INVALID_ARGUMENT',
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
        ...classifyDefaults,
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
        ...classifyDefaults,
      }),
    'INVALID_ARGUMENT',
  ],
  [
    'transcribe-and-classify non-WAV audio',
    (c) =>
      c.transcribeAndClassify({
        audio: Buffer.from('RIFF'),
        config: wav,
        candidateLabels: labels,
        ...classifyDefaults,
      }),
    'INVALID_ARGUMENT',
  ],
  ['server info (an int64 field)', (c) => c.serverInfo(), 'OK'],
  // Partials depend on where TCP cut the chunks, but both servers get them from the same client.
  [
    'stream a long clip',
    (c) => collect(c.streamingTranscribe(wav, chunksOf(readClipAudio(long), 3200))),
    'OK',
  ],
  [
    'stream raw LINEAR16 in odd-sized chunks',
    (c) => collect(c.streamingTranscribe(linear16, chunksOf(readClipPcmBytes(command), 3001))),
    'OK',
  ],
  [
    'stream non-WAV bytes',
    (c) => collect(c.streamingTranscribe(wav, chunksOf(Buffer.from('garbage, garbage and more garbage'), 8))),
    'INVALID_ARGUMENT',
  ],
  [
    'stream no audio',
    (c) => collect(c.streamingTranscribe(wav, chunksOf(Buffer.alloc(0), 8))),
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
    'stream one message over the transport limit',
    (c) => collect(c.streamingTranscribe(wav, chunksOf(Buffer.alloc(defaultLimits.maxAudioBytes * 2), 8e6))),
    'RESOURCE_EXHAUSTED',
  ],
  [
    'stream audio over the limit',
    (c) => collect(c.streamingTranscribe(wav, chunksOf(wavBytes(tone(61)), 64 * 1024))),
    'RESOURCE_EXHAUSTED',
  ],
];

describe('grpc-js and connect serve the same gRPC answers', () => {
  let servers: GrpcAndConnectServers;
  beforeAll(async () => {
    servers = await startGrpcAndConnectServers();
  });
  afterAll(async () => servers?.close());

  async function stillServes(): Promise<void> {
    const next = await servers.connect.classify({ text: 'hi', candidateLabels: ['a'], ...classifyDefaults });
    expect(next.labels).toEqual(['a']);
  }

  it.each(cases)('%s', async (name, run, expected) => {
    const byTransport = refusedByTheTransport.has(name);
    const grpcJs = withoutTimings(await outcomeOf(() => run(servers.grpcJs)));
    const connect = withoutTimings(await outcomeOf(() => run(servers.connect)));
    // The grpc-js client reads code and message from connect's trailers as from grpc-js's.
    expect(byTransport ? comparable(connect) : connect).toEqual(byTransport ? comparable(grpcJs) : grpcJs);
    expect(grpcJs.ok ? 'OK' : grpcJs.code).toBe(expected);
    await stillServes();
  });

  it('stream: the final transcript matches the corpus, after partial results', async () => {
    const messages = await collect(
      servers.connect.streamingTranscribe(wav, chunksOf(readClipAudio(long), 3200)),
    );
    expect(messages.at(-1)).toMatchObject({ isFinal: true, transcript: long.text });
    expect(messages.filter((m) => !m.isFinal).length).toBeGreaterThan(5);
  });

  it('stream: a client that stops reading early cancels the call, and the server serves on', async () => {
    for await (const message of servers.connect.streamingTranscribe(
      wav,
      chunksOf(readClipAudio(long), 3200),
    )) {
      expect(message.isFinal).toBe(false);
      break;
    }
    await stillServes();
  });

  it.each([
    ['truncated varint', Buffer.from([0x0a, 0xff, 0xff, 0xff])],
    ['length prefix past the end', Buffer.from([0x0a, 0x7f, 0x61])],
    ['absurd length prefix', Buffer.from([0x12, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x61])],
    ['invalid wire type', Buffer.from([0x0f, 0x01])],
    ['random bytes', Buffer.from('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex')],
  ])('malformed protobuf (%s) is INVALID_ARGUMENT from both', async (_name, bytes) => {
    for (const method of ['Classify', 'Transcribe', 'TranscribeAndClassify']) {
      const path = `/speech.v1.SpeechService/${method}`;
      const [grpcJs, connect] = await Promise.all([
        grpcRawStatus(servers.grpcJsPort, path, bytes),
        grpcRawStatus(servers.connectPort, path, bytes),
      ]);
      expect(grpcJs.code).toBe('INVALID_ARGUMENT');
      expect(connect.code).toBe('INVALID_ARGUMENT');
      // The decoder's own words differ between the two libraries; the sentence around them does not.
      expect(connect.details).toMatch(/^request is not a valid protobuf message: \S/);
      expect(grpcJs.details).toMatch(/^request is not a valid protobuf message: \S/);
    }
    await stillServes();
  });

  it('a malformed message inside a stream is INVALID_ARGUMENT from both', async () => {
    // One gRPC frame (flag, length, bytes) per message; the raw unary helper frames one.
    const path = '/speech.v1.SpeechService/StreamingTranscribe';
    const bytes = Buffer.from([0x0a, 0xff, 0xff, 0xff]);
    const [grpcJs, connect] = await Promise.all([
      grpcRawStatus(servers.grpcJsPort, path, bytes),
      grpcRawStatus(servers.connectPort, path, bytes),
    ]);
    expect(connect.code).toBe('INVALID_ARGUMENT');
    expect(connect.code).toBe(grpcJs.code);
    expect(connect.details).toMatch(/^request is not a valid protobuf message: \S/);
  });

  it('a message over the transport limit is RESOURCE_EXHAUSTED from both', async () => {
    const huge = Buffer.from(
      TranscribeRequest.encode({
        audio: Buffer.alloc(defaultLimits.maxAudioBytes * 2),
        config: undefined,
      }).finish(),
    );
    const path = '/speech.v1.SpeechService/Transcribe';
    const [grpcJs, connect] = await Promise.all([
      grpcRawStatus(servers.grpcJsPort, path, huge),
      grpcRawStatus(servers.connectPort, path, huge),
    ]);
    expect(grpcJs.code).toBe('RESOURCE_EXHAUSTED');
    expect(connect.code).toBe('RESOURCE_EXHAUSTED');
    await stillServes();
  });

  it('an unknown method is UNIMPLEMENTED from both', async () => {
    const body = Buffer.from(
      ClassifyRequest.encode({ text: 'hi', candidateLabels: ['a'], ...classifyDefaults }).finish(),
    );
    const path = '/speech.v1.SpeechService/Nope';
    const [grpcJs, connect] = await Promise.all([
      grpcRawStatus(servers.grpcJsPort, path, body),
      grpcRawStatus(servers.connectPort, path, body),
    ]);
    expect(grpcJs.code).toBe('UNIMPLEMENTED');
    expect(connect.code).toBe('UNIMPLEMENTED');
  });
});
