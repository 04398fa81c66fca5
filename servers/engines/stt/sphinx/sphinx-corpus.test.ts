import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIntentLabels } from '../../../../bench/corpus/intents.js';
import { createEmbeddingClassifier } from '../../classify/embedding/index.js';
import { SentenceClassifier } from '../../classify/sentence/sentence-classifier.js';
import { SentenceEncoder } from '../../classify/sentence/sentence-encoder.js';
import { checkSphinxAvailability } from './availability.js';
import { SphinxEngine } from './sphinx-engine.js';
import { type CorpusClip, loadCorpus, wordErrors } from './test-audio.js';

const availability = checkSphinxAvailability();
const corpus = availability.available ? loadCorpus() : [];
if (!availability.available) console.warn(`skipping the sphinx corpus test: ${availability.reason}`);
else if (corpus.length === 0)
  console.warn('skipping the sphinx corpus test: bench/corpus/manifest.json is missing');

/** The project's accuracy targets for the recognizer over the whole corpus, and for intents on its transcripts. */
const targetWordErrorRate = 0.15;
const targetIntentAccuracy = 0.75;

describe.skipIf(corpus.length === 0)('SphinxEngine on the corpus', () => {
  let engine: SphinxEngine;
  const transcripts = new Map<string, string>();

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
        transcripts.set(clip.id, result.transcript);
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

  it(`classifies at least ${targetIntentAccuracy * 100}% of its command transcripts right (sentence classifier)`, async () => {
    const labelled = corpus.filter((clip) => clip.label !== null && transcripts.has(clip.id));
    expect(labelled.length).toBeGreaterThan(60);
    const classifier = new SentenceClassifier(
      await SentenceEncoder.start(),
      await createEmbeddingClassifier(),
    );
    try {
      const labels = [...loadIntentLabels()];
      let correct = 0;
      for (const clip of labelled) {
        const result = await classifier.classify(transcripts.get(clip.id)!, labels, {
          multiLabel: false,
          hypothesisTemplate: '',
        });
        if (result.labels[0] === clip.label) correct++;
      }
      console.info(
        `intent accuracy on sphinx transcripts: ${((100 * correct) / labelled.length).toFixed(1)}% (${correct}/${labelled.length})`,
      );
      expect(correct / labelled.length).toBeGreaterThanOrEqual(targetIntentAccuracy);
    } finally {
      await classifier.close();
    }
  });
});
