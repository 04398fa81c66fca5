import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PcmAudio } from '../../../core/engines.js';
import { checkSphinxAvailability } from './availability.js';
import { SphinxEngine } from './sphinx-engine.js';

const availability = checkSphinxAvailability();
if (!availability.available) console.warn(`skipping the sphinx robustness tests: ${availability.reason}`);

function pcm(samples: Int16Array): PcmAudio {
  return { samples, sampleRateHertz: 16_000 };
}

// A fixed-seed generator keeps the garbage the same from run to run.
function noise(length: number, seed: number): Int16Array {
  let state = seed;
  return Int16Array.from({ length }, () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return (state >>> 16) - 32_768;
  });
}

const badAudio: ReadonlyArray<readonly [string, Int16Array]> = [
  ['empty', new Int16Array(0)],
  ['one sample', Int16Array.of(12_345)],
  ['a few samples', Int16Array.of(-32_768, 32_767, 0, 1)],
  ['0.1 s of full-scale noise', noise(1600, 1)],
  [
    '0.1 s of clipping square wave',
    Int16Array.from({ length: 1600 }, (_, i) => (i % 20 < 10 ? 32_767 : -32_768)),
  ],
];

describe.skipIf(!availability.available)('SphinxEngine on bad audio', () => {
  let engine: SphinxEngine;

  beforeAll(async () => {
    engine = await SphinxEngine.create({ poolSize: 1 });
  });
  afterAll(() => engine?.close());

  it.each(badAudio)('%s: a transcript, no crash', async (_name, samples) => {
    const result = await engine.transcribe(pcm(samples));
    expect(typeof result.transcript).toBe('string');
    expect(result.audioDurationSeconds).toBe(samples.length / 16_000);
    expect(result.confidence).toBeGreaterThanOrEqual(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
  });

  it.each(badAudio)('%s, streamed: a transcript, no crash', async (_name, samples) => {
    const stream = await engine.startStream(16_000);
    await stream.process(samples);
    await stream.partial();
    expect(typeof (await stream.end()).transcript).toBe('string');
  });

  it('ten minutes of silence (9.6 M samples): a transcript, no crash', { timeout: 240_000 }, async () => {
    const result = await engine.transcribe(pcm(new Int16Array(16_000 * 600)));
    expect(typeof result.transcript).toBe('string');
    expect(result.audioDurationSeconds).toBe(600);
  });

  // Exact zeros never reach the decoder (digital-silence.ts); a one-bit hiss does.
  it('ten minutes of near-silence (one-bit hiss): a transcript, no crash', { timeout: 240_000 }, async () => {
    const hiss = Int16Array.from({ length: 16_000 * 600 }, (_, i) => ((i * 7919) % 3) - 1);
    const result = await engine.transcribe(pcm(hiss));
    expect(typeof result.transcript).toBe('string');
    expect(result.audioDurationSeconds).toBe(600);
    for (const word of result.words) expect(word.endSeconds).toBeLessThanOrEqual(600);
  });

  it('200 bad decodes do not grow memory by more than 10%', { timeout: 120_000 }, async () => {
    const round = async (): Promise<void> => {
      for (const [, samples] of badAudio) await engine.transcribe(pcm(samples));
    };
    // Let the decoder's buffers reach their working size before measuring.
    for (let i = 0; i < 10; i++) await round();
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 200 / badAudio.length; i++) await round();
    const after = process.memoryUsage().rss;
    expect(after).toBeLessThan(before * 1.1);
  });
});
