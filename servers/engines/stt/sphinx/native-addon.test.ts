import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSphinxAvailability } from './availability.js';
import { defaultSphinxModel } from './model-paths.js';
import { loadSphinxAddon, type NativeDecoder } from './native-binding.js';
import { canSynthesize, synthesize, wordErrorRate } from './test-audio.js';

const availability = checkSphinxAvailability();
const skip = !availability.available || !canSynthesize();
if (skip) {
  const why = availability.available ? 'flite or sox is missing' : availability.reason;
  console.warn(`skipping the sphinx addon tests: ${why}`);
}

const text = 'turn on the kitchen lights';
const modelArgs = [
  '-hmm',
  defaultSphinxModel.hmm,
  '-lm',
  defaultSphinxModel.lm,
  '-dict',
  defaultSphinxModel.dict,
];

describe.skipIf(skip)('sphinx native addon', () => {
  let decoder: NativeDecoder;
  let speech: Int16Array;

  beforeAll(async () => {
    decoder = await loadSphinxAddon().load([...modelArgs, '-remove_silence', 'no']);
    speech = synthesize(text).samples;
  });
  afterAll(() => decoder?.destroy());

  it('decodes a whole utterance into words with frames and posteriors', async () => {
    const result = await decoder.decode(speech);
    expect(wordErrorRate(text, result.hyp)).toBeLessThanOrEqual(0.2);
    expect(result.hyp).not.toMatch(/<|\[|\(\d+\)/);
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
    expect(result.words.map((w) => w.word).join(' ')).toBe(result.hyp);
    let previousEnd = -1;
    for (const word of result.words) {
      expect(word.startFrame).toBeGreaterThan(previousEnd);
      expect(word.endFrame).toBeGreaterThanOrEqual(word.startFrame);
      expect(word.prob).toBeGreaterThanOrEqual(0);
      expect(word.prob).toBeLessThanOrEqual(1);
      previousEnd = word.endFrame;
    }
    expect(decoder.framesPerSecond).toBe(100);
  });

  it('gives the same result for the same audio, whatever it decoded before', async () => {
    const first = await decoder.decode(speech);
    await decoder.decode(Int16Array.from({ length: 16_000 }, (_, i) => Math.round(8000 * Math.sin(i / 3))));
    await decoder.start();
    await decoder.process(speech);
    await decoder.end();
    expect(await decoder.decode(speech)).toEqual(first);
  });

  it('copies the samples before decoding, so the caller may reuse its buffer', async () => {
    const buffer = speech.slice();
    const decoding = decoder.decode(buffer);
    buffer.fill(0);
    expect(wordErrorRate(text, (await decoding).hyp)).toBeLessThanOrEqual(0.2);
  });

  it('rejects a call that overlaps another, and then works again', async () => {
    const first = decoder.decode(speech);
    await expect(decoder.decode(speech)).rejects.toMatchObject({ code: 'ERR_DECODER_BUSY' });
    await expect(decoder.partial()).rejects.toMatchObject({ code: 'ERR_DECODER_BUSY' });
    expect(wordErrorRate(text, (await first).hyp)).toBeLessThanOrEqual(0.2);
    expect(decoder.busy).toBe(false);
  });

  it('rejects bad arguments and out-of-order stream calls without crashing', async () => {
    const untyped = decoder as unknown as { decode(value: unknown): Promise<unknown> };
    await expect(untyped.decode(new Float32Array(10))).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
    });
    await expect(untyped.decode(undefined)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
    await expect(decoder.process(speech)).rejects.toThrow('no utterance in progress');
    await expect(decoder.end()).rejects.toThrow('no utterance in progress');
  });

  it('streams: partial hypotheses grow before the end', async () => {
    await decoder.start();
    const partials: string[] = [];
    for (let i = 0; i < speech.length; i += 1600) {
      await decoder.process(speech.subarray(i, i + 1600));
      partials.push((await decoder.partial()).hyp);
    }
    const final = await decoder.end();
    expect(partials.some((hyp) => hyp !== '')).toBe(true);
    expect(wordErrorRate(text, final.hyp)).toBeLessThanOrEqual(0.2);
  });

  it('refuses to be constructed from JavaScript, and reports load failures', async () => {
    const { Decoder } = loadSphinxAddon() as unknown as { Decoder: new () => unknown };
    expect(() => new Decoder()).toThrow(/load\(\)/);
    const addon = loadSphinxAddon();
    await expect(addon.load(['-hmm', '/nonexistent'])).rejects.toMatchObject({ code: 'ERR_SPHINX_LOAD' });
    await expect(addon.load([...modelArgs, '-no_such_option', '1'])).rejects.toThrow(/no_such_option/);
    await expect(addon.load(['-hmm'])).rejects.toThrow(/pairs/);
  });

  it('destroyed while busy: the call in flight completes, later calls reject', async () => {
    const doomed = await loadSphinxAddon().load(modelArgs);
    const inFlight = doomed.decode(speech);
    doomed.destroy();
    expect(doomed.destroyed).toBe(true);
    expect(wordErrorRate(text, (await inFlight).hyp)).toBeLessThanOrEqual(0.2);
    await expect(doomed.decode(speech)).rejects.toMatchObject({ code: 'ERR_DECODER_DESTROYED' });
    await expect(doomed.start()).rejects.toMatchObject({ code: 'ERR_DECODER_DESTROYED' });
    doomed.destroy();
  });
});
