import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSphinxAvailability } from './availability.js';
import { SphinxEngine } from './sphinx-engine.js';
import { type CorpusClip, loadCorpus, wordErrors } from './test-audio.js';

const availability = checkSphinxAvailability();
const corpus = availability.available ? loadCorpus() : [];
if (!availability.available) console.warn(`skipping the sphinx corpus test: ${availability.reason}`);
else if (corpus.length === 0)
  console.warn('skipping the sphinx corpus test: bench/corpus/manifest.json is missing');

/** The project's accuracy target for the recognizer over the whole corpus. */
const targetWordErrorRate = 0.15;

describe.skipIf(corpus.length === 0)('SphinxEngine on the corpus', () => {
  let engine: SphinxEngine;

  beforeAll(async () => {
    engine = await SphinxEngine.create({ poolSize: 2, maxQueue: corpus.length });
  });
  afterAll(() => engine?.close());

  it(`stays within ${targetWordErrorRate * 100}% WER`, { timeout: 600_000 }, async () => {
    const byKind = new Map<string, { errors: number; words: number }>();
    const started = performance.now();
    await Promise.all(
      corpus.map(async (clip: CorpusClip) => {
        const result = await engine.transcribe(clip.audio);
        const { errors, words } = wordErrors(clip.text, result.transcript);
        for (const kind of [clip.kind, 'all']) {
          const total = byKind.get(kind) ?? { errors: 0, words: 0 };
          byKind.set(kind, { errors: total.errors + errors, words: total.words + words });
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const audioSeconds = corpus.reduce((sum, clip) => sum + clip.audio.samples.length / 16_000, 0);
    const rate = ({ errors, words }: { errors: number; words: number }): string =>
      `${((100 * errors) / words).toFixed(1)}% of ${words}`;
    console.info(
      `sphinx corpus WER: ${[...byKind].map(([kind, total]) => `${kind} ${rate(total)}`).join(', ')}; ` +
        `${audioSeconds.toFixed(0)} s of audio in ${seconds.toFixed(1)} s on 2 decoders`,
    );
    const all = byKind.get('all') ?? { errors: 0, words: 1 };
    expect(all.errors / all.words).toBeLessThanOrEqual(targetWordErrorRate);
  });
});
