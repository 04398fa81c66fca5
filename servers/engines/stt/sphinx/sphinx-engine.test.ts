import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PcmAudio, Transcription } from '../../../core/engines.js';
import { checkSphinxAvailability } from './availability.js';
import { SphinxEngine } from './sphinx-engine.js';
import { canSynthesize, concatenate, synthesize, wordErrorRate } from './test-audio.js';

const availability = checkSphinxAvailability();
const skip = !availability.available || !canSynthesize();
if (skip) {
  const why = availability.available ? 'flite or sox is missing' : availability.reason;
  console.warn(`skipping the sphinx engine tests: ${why}`);
}

const text = 'turn on the kitchen lights';

function expectSaneWords(result: Transcription): void {
  let previousEnd = 0;
  for (const word of result.words) {
    expect(word.startSeconds).toBeGreaterThanOrEqual(previousEnd);
    expect(word.endSeconds).toBeGreaterThan(word.startSeconds);
    expect(word.endSeconds).toBeLessThanOrEqual(result.audioDurationSeconds);
    previousEnd = word.endSeconds;
  }
}

describe.skipIf(skip)('SphinxEngine', () => {
  let engine: SphinxEngine;
  let speech: PcmAudio;

  beforeAll(async () => {
    engine = await SphinxEngine.create({ poolSize: 2, maxQueue: 2 });
    speech = synthesize(text);
  });
  afterAll(() => engine?.close());

  it('transcribes synthesized speech', async () => {
    const result = await engine.transcribe(speech);
    expect(engine.name).toBe('sphinx');
    expect(engine.sampleRatesHertz).toEqual([16_000]);
    expect(wordErrorRate(text, result.transcript)).toBeLessThanOrEqual(0.2);
    expect(result.audioDurationSeconds).toBeCloseTo(speech.samples.length / 16_000, 6);
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
    expect(result.words.map((w) => w.word).join(' ')).toBe(result.transcript);
    expectSaneWords(result);
  });

  it('places words in time from the start of the audio, across pauses', async () => {
    const pause = new Int16Array(16_000 * 2);
    const padded = concatenate(pause, speech.samples, pause, speech.samples);
    const result = await engine.transcribe({ samples: padded, sampleRateHertz: 16_000 });
    const turns = result.words.filter((w) => w.word === 'turn');
    expect(turns).toHaveLength(2);
    const clip = speech.samples.length / 16_000;
    expect(turns[0]?.startSeconds).toBeGreaterThanOrEqual(2);
    expect(turns[0]?.startSeconds).toBeLessThan(2 + clip / 2);
    expect(turns[1]?.startSeconds).toBeGreaterThanOrEqual(4 + clip);
    expectSaneWords(result);
  });

  it('streams, with partial results before the end', async () => {
    const stream = await engine.startStream(16_000);
    const partials: Transcription[] = [];
    for (let i = 0; i < speech.samples.length; i += 1600) {
      await stream.process(speech.samples.subarray(i, i + 1600));
      partials.push(await stream.partial());
    }
    const final = await stream.end();
    expect(partials.some((p) => p.transcript !== '')).toBe(true);
    expect(partials.at(-1)?.audioDurationSeconds).toBeCloseTo(speech.samples.length / 16_000, 6);
    expect(wordErrorRate(text, final.transcript)).toBeLessThanOrEqual(0.2);
    expectSaneWords(final);
    await expect(stream.process(speech.samples)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    await expect(stream.end()).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
  });

  it('serializes overlapping stream calls and lets the caller reuse its buffer at once', async () => {
    const stream = await engine.startStream(16_000);
    const buffer = new Int16Array(1600);
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < speech.samples.length; i += 1600) {
      buffer.fill(0);
      buffer.set(speech.samples.subarray(i, i + 1600));
      calls.push(stream.process(buffer.subarray(0, Math.min(1600, speech.samples.length - i))));
      calls.push(stream.partial());
    }
    await Promise.all(calls);
    expect(wordErrorRate(text, (await stream.end()).transcript)).toBeLessThanOrEqual(0.2);
  });

  it('refuses other sample rates', async () => {
    await expect(engine.transcribe({ samples: speech.samples, sampleRateHertz: 8000 })).rejects.toMatchObject(
      {
        code: 'INVALID_ARGUMENT',
      },
    );
    await expect(engine.startStream(44_100)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('keeps the event loop responsive while two decodes run', async () => {
    const long = { samples: concatenate(...Array(4).fill(speech.samples)), sampleRateHertz: 16_000 };
    const gaps: number[] = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const results = await Promise.all([engine.transcribe(long), engine.transcribe(long)]);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(results.every((r) => r.transcript !== '')).toBe(true);
    // A decode on the event loop would show as one gap as long as the decode itself.
    expect(elapsed).toBeGreaterThan(200);
    expect(Math.max(...gaps)).toBeLessThan(100);
    expect(gaps.length).toBeGreaterThan(elapsed / 5 / 4);
  });

  it('queues requests beyond the pool and refuses beyond the queue', async () => {
    const requests = Array.from({ length: 5 }, () => engine.transcribe(speech));
    const settled = await Promise.allSettled(requests);
    const fulfilled = settled.filter((s) => s.status === 'fulfilled');
    const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(fulfilled).toHaveLength(4);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
  });

  it('a stream holds its decoder until it ends or is aborted', async () => {
    const streams = [await engine.startStream(16_000), await engine.startStream(16_000)];
    let served = false;
    const waiting = engine.transcribe(speech).then((result) => {
      served = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(served).toBe(false);
    // Aborted with a call still in flight: the decoder comes back once that call is done.
    const inFlight = streams[0]?.process(speech.samples);
    streams[0]?.abort();
    streams[0]?.abort();
    await inFlight;
    expect(wordErrorRate(text, (await waiting).transcript)).toBeLessThanOrEqual(0.2);
    await expect(streams[0]?.partial()).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    await streams[1]?.end();
    const again = await Promise.all([engine.transcribe(speech), engine.transcribe(speech)]);
    expect(again).toHaveLength(2);
  });
});

describe.skipIf(skip)('SphinxEngine lifecycle', () => {
  it('refuses requests once closed, letting the one in flight finish', async () => {
    const engine = await SphinxEngine.create({ poolSize: 1 });
    const speech = synthesize(text);
    const inFlight = engine.transcribe(speech);
    const queued = engine.startStream(16_000).catch((error: unknown) => error);
    // Let the first request reach the addon before closing.
    await new Promise((resolve) => setImmediate(resolve));
    await engine.close();
    expect(wordErrorRate(text, (await inFlight).transcript)).toBeLessThanOrEqual(0.2);
    expect(await queued).toMatchObject({ code: 'UNAVAILABLE' });
    await expect(engine.transcribe(speech)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await engine.close();
  });

  it('reports a missing model as UNAVAILABLE with the install command', async () => {
    const model = { hmm: '/nonexistent/en-us', lm: '/nonexistent/en-us.lm.bin', dict: '/nonexistent/x.dict' };
    await expect(SphinxEngine.create({ model, poolSize: 1 })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      reason: 'ENGINE_UNAVAILABLE',
      message: expect.stringContaining('apt-get install -y libpocketsphinx-dev pocketsphinx-en-us'),
    });
  });
});
