import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, readClipAudio } from '../../bench/corpus/manifest.js';
import { AudioEncoding } from '../../proto/gen/speech/v1/speech.js';
import { audioChunks } from '../support/pace.js';
import { startTestServers, type TestServers } from '../support/test-servers.js';
import { sphinxMissing } from './sphinx-available.js';

const clip = loadManifest().clips.find(
  (c) => c.kind === 'long' && c.durationSeconds >= 20 && c.durationSeconds < 25,
)!;
const wav = { encoding: AudioEncoding.WAV, sampleRateHertz: 0, languageCode: 'en-US' };

describe.skipIf(sphinxMissing)('streaming at real-time pace', () => {
  let servers: TestServers;
  beforeAll(async () => {
    servers = await startTestServers({ stt: 'sphinx' });
  });
  afterAll(async () => servers?.close());

  it.each(['grpc', 'rest'] as const)(
    '%s: the first partial arrives within 1.5 s of the first 100 ms chunk of a 20 s clip',
    async (protocol) => {
      let firstChunkAt = 0;
      const chunks = audioChunks(readClipAudio(clip), {
        chunkMs: 100,
        realTime: true,
        headerBytes: 44,
        onFirst: () => {
          firstChunkAt = performance.now();
        },
      });
      let firstPartialMs: number | undefined;
      let partials = 0;
      let final = '';
      for await (const message of servers[protocol].streamingTranscribe(wav, chunks)) {
        if (!message.isFinal) {
          partials++;
          firstPartialMs ??= performance.now() - firstChunkAt;
        } else final = message.transcript;
      }
      console.log(`${protocol}: first partial after ${firstPartialMs?.toFixed(0)} ms; ${partials} partials`);
      expect(firstPartialMs).toBeDefined();
      expect(firstPartialMs!).toBeLessThan(1500);
      expect(partials).toBeGreaterThan(5);
      expect(final.split(' ').length).toBeGreaterThan(30);
    },
    60_000,
  );
});
