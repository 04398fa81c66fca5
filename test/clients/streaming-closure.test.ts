import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadManifest, readClipAudio, readClipPcmBytes } from '../../bench/corpus/manifest.js';
import type { SpeechClient } from '../../clients/speech-client.js';
import { AudioEncoding, type StreamingTranscribeResponse } from '../../proto/gen/speech/v1/speech.js';
import { ServiceError } from '../../servers/core/service-error.js';
import { startTestServers, type TestServers } from '../support/test-servers.js';
import { settleWithin, TrackedAudio } from '../support/tracked-audio.js';

const clips = loadManifest().clips;
const long = clips.find((clip) => clip.kind === 'long')!;
const command = clips.find((clip) => clip.kind === 'command')!;
const wav = { encoding: AudioEncoding.WAV, sampleRateHertz: 0, languageCode: 'en-US' };
const linear16 = { encoding: AudioEncoding.LINEAR16, sampleRateHertz: 16_000, languageCode: 'en-US' };
// 100 ms of 16 kHz PCM16 every 100 ms, for at most 30 s.
const realTime = { chunkBytes: 3200, chunkMs: 100, maxMs: 30_000 };
// Generous: a prompt answer takes milliseconds; the bug this guards against hung for good.
const promptlyMs = 5000;

async function drain(stream: AsyncGenerator<StreamingTranscribeResponse>): Promise<number> {
  let messages = 0;
  for await (const _ of stream) messages++;
  return messages;
}

function expectServiceError(settled: Awaited<ReturnType<typeof settleWithin>>, code: string): ServiceError {
  expect(settled.kind).toBe('error');
  const error = settled.kind === 'error' ? settled.error : undefined;
  expect(error).toBeInstanceOf(ServiceError);
  expect((error as ServiceError).code).toBe(code);
  return error as ServiceError;
}

/** The client let go of its audio: return() called once, and the source's timer is gone. */
async function expectAudioClosed(audio: TrackedAudio): Promise<void> {
  expect(audio.returnCalls).toBe(1);
  await vi.waitFor(() => expect(audio.stopped).toBe(true), { timeout: 2000 });
  expect(audio.exhausted).toBe(false);
}

describe('streamingTranscribe ends when the call ends', () => {
  let servers: TestServers;
  /** Server-side streams still running: a call the client ended must end there too. */
  let serverStreams = 0;
  beforeAll(async () => {
    servers = await startTestServers();
    const original = servers.service.streamingTranscribe.bind(servers.service);
    vi.spyOn(servers.service, 'streamingTranscribe').mockImplementation(async function* (requests) {
      serverStreams++;
      try {
        yield* original(requests);
      } finally {
        serverStreams--;
      }
    });
  });
  afterAll(async () => servers?.close());

  const client = (protocol: 'grpc' | 'rest'): SpeechClient => servers[protocol];

  it.each(['grpc', 'rest'] as const)(
    '%s: a rejected config fails with INVALID_ARGUMENT while real-time audio is still coming',
    async (protocol) => {
      const audio = new TrackedAudio(readClipAudio(long), realTime);
      const stream = client(protocol).streamingTranscribe({ ...wav, languageCode: 'fr-FR' }, audio, {
        deadlineMs: 8000,
      });
      const error = expectServiceError(await settleWithin(drain(stream), promptlyMs), 'INVALID_ARGUMENT');
      expect(error.message).toContain('fr-FR');
      await expectAudioClosed(audio);
    },
  );

  it.each(['grpc', 'rest'] as const)(
    '%s: audio that never ends fails with DEADLINE_EXCEEDED at the deadline, and is closed',
    async (protocol) => {
      const audio = new TrackedAudio(new Uint8Array(0), realTime);
      const stream = client(protocol).streamingTranscribe(linear16, audio, { deadlineMs: 500 });
      expectServiceError(await settleWithin(drain(stream), promptlyMs), 'DEADLINE_EXCEEDED');
      await expectAudioClosed(audio);
      await vi.waitFor(() => expect(serverStreams).toBe(0), { timeout: 2000 });
    },
  );

  it.each(['grpc', 'rest'] as const)(
    '%s: a consumer that stops after the first partial ends the call and closes the audio',
    async (protocol) => {
      const audio = new TrackedAudio(readClipPcmBytes(long), realTime);
      let partials = 0;
      const firstPartial = (async () => {
        for await (const message of client(protocol).streamingTranscribe(linear16, audio)) {
          if (!message.isFinal) partials++;
          break;
        }
      })();
      expect((await settleWithin(firstPartial, promptlyMs)).kind).toBe('value');
      expect(partials).toBe(1);
      await expectAudioClosed(audio);
      await vi.waitFor(() => expect(serverStreams).toBe(0), { timeout: 2000 });
    },
  );

  it.each(['grpc', 'rest'] as const)(
    "%s: an audio source that fails ends the call with the source's own error",
    async (protocol) => {
      const failure = new Error('microphone unplugged');
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield new Uint8Array(3200);
        await new Promise((resolve) => setTimeout(resolve, 100));
        throw failure;
      }
      const settled = await settleWithin(
        drain(client(protocol).streamingTranscribe(linear16, failing(), { deadlineMs: 8000 })),
        promptlyMs,
      );
      expect(settled).toEqual({ kind: 'error', error: failure });
      await vi.waitFor(() => expect(serverStreams).toBe(0), { timeout: 2000 });
    },
  );

  it.each(['grpc', 'rest'] as const)(
    '%s: a whole clip still streams to its final result, with a deadline that does not trip',
    async (protocol) => {
      const pcm = readClipPcmBytes(command);
      // Fast pace, bounded to exactly the clip's chunks: the source ends by itself.
      const chunkMs = 5;
      const audio = new TrackedAudio(pcm, {
        chunkBytes: 3200,
        chunkMs,
        maxMs: Math.ceil(pcm.length / 3200) * chunkMs,
      });
      const messages: StreamingTranscribeResponse[] = [];
      const run = (async () => {
        for await (const message of client(protocol).streamingTranscribe(linear16, audio, {
          deadlineMs: 10_000,
        }))
          messages.push(message);
      })();
      expect(await settleWithin(run, promptlyMs)).toEqual({ kind: 'value', value: undefined });
      expect(messages.at(-1)).toMatchObject({ isFinal: true, transcript: command.text });
      expect(audio.exhausted).toBe(true);
      expect(audio.returnCalls).toBe(0);
    },
  );
});
