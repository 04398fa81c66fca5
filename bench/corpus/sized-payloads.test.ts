import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ReferenceEngine } from '../../servers/engines/stt/reference/reference-engine.js';
import { buildRequestPayload } from '../drivers/request-payloads.js';
import { loadManifest, readClipSamples } from './manifest.js';
import { loadReferenceClips } from './reference-clips.js';
import { audioSizes, sizedClip, sizedText } from './sized-payloads.js';

describe('sized payloads', () => {
  it('cuts audio of each size from the corpus, as a WAV of 16 kHz 16-bit samples', () => {
    for (const size of audioSizes) {
      const clip = sizedClip(size);
      expect(clip.samples.length).toBe(Number.parseFloat(size) * 16_000);
      expect(clip.wav.length).toBe(44 + 2 * clip.samples.length);
      expect(clip.wav.readUInt32LE(40)).toBe(2 * clip.samples.length);
      expect(clip.text.length).toBeGreaterThan(0);
    }
    // 60 s is 1.92 MB of samples; 0.5 s is 16 KB.
    expect(sizedClip('60s').wav.length).toBe(1_920_044);
    expect(sizedClip('0.5s').wav.length).toBe(16_044);
  });

  it('makes texts of exactly the size asked, from the corpus commands', () => {
    expect(sizedText('256B')).toHaveLength(256);
    expect(sizedText('1KB')).toHaveLength(1024);
    expect(sizedText('4KB')).toHaveLength(4096);
    expect(sizedText('command').length).toBeLessThan(100);
  });

  it('the reference engine knows every sized clip, so a sweep measures the protocol', async () => {
    const engine = new ReferenceEngine({ clips: loadReferenceClips(), realTimeFactor: 0, burnRate: 1e6 });
    for (const size of ['0.5s', '10s'] as const) {
      const clip = sizedClip(size);
      const answer = await engine.transcribe({ samples: clip.samples, sampleRateHertz: 16_000 });
      expect(answer.transcript).toBe(clip.text);
    }
  });

  it('builds the request of a size for every form (protobuf, JSON, raw WAV)', () => {
    const upload = buildRequestPayload({ rpc: 'transcribe', size: '30s' });
    expect(upload.rawWav?.body.length).toBe(960_044);
    expect(upload.protobuf.length).toBeGreaterThan(960_044);
    const text = buildRequestPayload({ rpc: 'classify', size: '4KB' });
    expect((text.message as { text: string }).text).toHaveLength(4096);
  });

  it('starts no sized clip like a corpus clip, so streamed corpus clips are still recognised early', () => {
    const prefixOf = (samples: Int16Array) =>
      createHash('sha256').update(samples.subarray(0, 8_000)).digest('hex');
    const corpus = new Set(loadManifest().clips.map((clip) => prefixOf(readClipSamples(clip))));
    for (const size of audioSizes) expect(corpus.has(prefixOf(sizedClip(size).samples))).toBe(false);
  });
});
