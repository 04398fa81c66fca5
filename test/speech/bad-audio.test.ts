import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrpcSpeechClient } from '../../clients/grpc-speech-client.js';
import { RestSpeechClient } from '../../clients/rest-speech-client.js';
import type { SpeechClient } from '../../clients/speech-client.js';
import { AudioEncoding, type RecognitionConfig } from '../../proto/gen/speech/v1/speech.js';
import { freePorts, type ServeProcess, startServe } from '../support/cli-process.js';
import { outcomeOf } from '../support/outcome.js';
import { tone, wavBytes } from '../support/wav-bytes.js';
import { sphinxMissing } from './sphinx-available.js';

const wav: RecognitionConfig = { encoding: AudioEncoding.WAV, sampleRateHertz: 0, languageCode: '' };
const linear16: RecognitionConfig = {
  encoding: AudioEncoding.LINEAR16,
  sampleRateHertz: 16_000,
  languageCode: '',
};

/** Deterministic noise: bytes no recognizer has a word for. */
function garbage(bytes: number, seed: number): Buffer {
  const out = Buffer.alloc(bytes);
  let state = seed;
  for (let i = 0; i < bytes; i++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

function wrongHeader(): Buffer {
  const bytes = wavBytes(tone(0.5));
  bytes.write('WAVX', 8, 'ascii');
  return bytes;
}

const badInputs: ReadonlyArray<readonly [string, Buffer, RecognitionConfig, readonly string[]]> = [
  ['empty', Buffer.alloc(0), wav, ['INVALID_ARGUMENT']],
  ['odd length', Buffer.alloc(3_201), linear16, ['INVALID_ARGUMENT']],
  ['garbage bytes as WAV', garbage(4_000, 1), wav, ['INVALID_ARGUMENT']],
  ['garbage bytes as PCM', garbage(16_000, 2), linear16, ['OK']],
  ['a wrong WAV header', wrongHeader(), wav, ['INVALID_ARGUMENT']],
  ['a single sample', Buffer.alloc(2), linear16, ['OK']],
  ['a stereo header', wavBytes(tone(0.2), { channels: 2 }), wav, ['INVALID_ARGUMENT']],
];

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

describe.skipIf(sphinxMissing)('the sphinx engine survives bad audio', () => {
  let server: ServeProcess;
  let clients: SpeechClient[];
  beforeAll(async () => {
    server = await startServe([...freePorts, '--stt', 'sphinx', '--max-audio-seconds', '600']);
    clients = [
      new GrpcSpeechClient({ host: '127.0.0.1', port: server.grpcPort }),
      new RestSpeechClient({ host: '127.0.0.1', port: server.restPort, connections: 2 }),
    ];
  });
  afterAll(async () => {
    for (const client of clients ?? []) client.close();
    await server?.stop();
  });

  it.each(badInputs)(
    '%s: a clear error or a transcript, never a crash',
    async (_name, audio, config, expected) => {
      for (const client of clients) {
        const outcome = await outcomeOf(() => client.transcribe({ audio, config }, { deadlineMs: 30_000 }));
        expect(expected).toContain(outcome.ok ? 'OK' : outcome.code);
      }
    },
  );

  it('transcribes 10 minutes of silence to an empty transcript', async () => {
    const silence = wavBytes(new Int16Array(16_000 * 600));
    const client = new GrpcSpeechClient({
      host: '127.0.0.1',
      port: server.grpcPort,
      maxMessageBytes: 32 * 2 ** 20,
    });
    const answer = await client
      .transcribe({ audio: silence, config: wav }, { deadlineMs: 240_000 })
      .finally(() => client.close());
    expect(answer.transcript).toBe('');
    expect(answer.audioDuration).toBe(600);
  }, 300_000);

  it('keeps its memory flat over 500 bad requests', async () => {
    const send = (i: number) => {
      const [, audio, config] = badInputs[i % badInputs.length]!;
      return outcomeOf(() => clients[i % 2]!.transcribe({ audio, config }, { deadlineMs: 30_000 }));
    };
    for (let i = 0; i < 100; i++) await send(i);
    const before = rssBytes(server.child.pid!);
    for (let i = 0; i < 500; i += 4) await Promise.all([send(i), send(i + 1), send(i + 2), send(i + 3)]);
    const after = rssBytes(server.child.pid!);
    console.log(
      `server RSS before ${(before / 2 ** 20).toFixed(1)} MiB, after 500 bad requests ${(after / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(after).toBeLessThan(before * 1.1);
    expect(server.child.exitCode).toBeNull();
  }, 180_000);
});
