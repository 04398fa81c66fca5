import { createConnection } from 'node:net';
import { credentials, type StatusObject } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { loadManifest, readClipAudio } from '../../bench/corpus/manifest.js';
import { loadReferenceClips } from '../../bench/corpus/reference-clips.js';
import { GrpcSpeechClient } from '../../clients/grpc-speech-client.js';
import { AudioEncoding, SpeechServiceClient } from '../../proto/gen/speech/v1/speech.js';
import { startConnectServer } from '../../servers/connect/connect-server.js';
import { defaultLimits } from '../../servers/core/limits.js';
import type { RunningServer } from '../../servers/grpc/grpc-server.js';
import { createSpeechRuntime, type SpeechRuntime } from '../../servers/speech-runtime.js';
import { collect } from '../support/parity-cases.js';

const command = loadManifest().clips.find((clip) => clip.kind === 'command')!;
const wav = { encoding: AudioEncoding.WAV, sampleRateHertz: 0, languageCode: 'en-US' };
const host = '127.0.0.1';

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** Audio that arrives when the test says so: a call that is in flight for as long as needed. */
function heldAudio(bytes: Uint8Array): { chunks: AsyncGenerator<Uint8Array>; release(): void } {
  let release = (): void => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  async function* chunks(): AsyncGenerator<Uint8Array> {
    yield bytes.subarray(0, 3200);
    await released;
    yield bytes.subarray(3200);
  }
  return { chunks: chunks(), release };
}

describe('connect server close()', () => {
  let runtime: SpeechRuntime | undefined;
  let client: GrpcSpeechClient | undefined;

  async function start(): Promise<{ server: RunningServer; client: GrpcSpeechClient }> {
    runtime = await createSpeechRuntime(
      { choice: 'reference', realTimeFactor: 0, referenceClips: loadReferenceClips },
      defaultLimits,
    );
    const server = await startConnectServer({ service: runtime.service, host, port: 0 });
    client = new GrpcSpeechClient({ host, port: server.port });
    return { server, client };
  }

  afterEach(async () => {
    client?.close();
    await runtime?.close();
  });

  it('returns at once when no call is in flight, even with a client connected', async () => {
    const { server, client } = await start();
    await client.serverInfo();
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(500);
    expect(await refusesConnections(server.port)).toBe(true);
  });

  it('lets a call in flight finish before it returns', async () => {
    const { server, client } = await start();
    const audio = heldAudio(readClipAudio(command));
    const results = collect(client.streamingTranscribe(wav, audio.chunks));
    await client.serverInfo(); // the stream is open on the same connection by now
    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closed).toBe(false);
    audio.release();
    expect((await results).at(-1)).toMatchObject({ isFinal: true, transcript: command.text });
    await closing;
  });

  it('drops a call that never ends after a bounded wait', async () => {
    const { server } = await start();
    // A bare stub: the client half-closes never, and only the final status matters.
    const stub = new SpeechServiceClient(`${host}:${server.port}`, credentials.createInsecure());
    const call = stub.streamingTranscribe();
    const status = new Promise<number>((resolve) => call.on('status', (s: StatusObject) => resolve(s.code)));
    call.on('error', () => {});
    call.write({ request: { $case: 'config', config: wav } });
    call.write({ request: { $case: 'audioChunk', audioChunk: readClipAudio(command).subarray(0, 3200) } });
    await new Promise((resolve) => setTimeout(resolve, 300)); // in flight on the server by now
    const started = performance.now();
    await server.close();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThan(1_500);
    expect(elapsed).toBeLessThan(4_000);
    expect(await status).not.toBe(0);
    stub.close();
  });
});
