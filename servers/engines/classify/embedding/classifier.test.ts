import { beforeAll, describe, expect, it } from 'vitest';
import { loadIntentSet } from '../../../../bench/corpus/intents.js';
import type { Classification, ClassifyOptions, ZeroShotClassifier } from '../../../core/engines.js';
import { MeanVectorClassifier } from './baseline.js';
import { ensureEmbeddingTable } from './build-table.js';
import { EmbeddingClassifier } from './classifier.js';
import { type EmbeddingTable, loadEmbeddingTable } from './table.js';

const corpus = loadIntentSet();
const SINGLE: ClassifyOptions = { multiLabel: false, hypothesisTemplate: '' };
const MULTI: ClassifyOptions = { multiLabel: true, hypothesisTemplate: '' };

let table: EmbeddingTable;
let classifier: EmbeddingClassifier;

beforeAll(async () => {
  // A fresh clone has no cache yet: building it reads the 300 MB source once (a few seconds).
  const dir = await ensureEmbeddingTable();
  table = loadEmbeddingTable(dir);
  classifier = new EmbeddingClassifier(table);
}, 180_000);

/** The classifiers here answer at once, without a promise. */
type ImmediateClassifier = Pick<ZeroShotClassifier, 'name'> & {
  classify(text: string, candidateLabels: readonly string[], options: ClassifyOptions): Classification;
};

function accuracy(
  model: ImmediateClassifier,
  split?: 'dev' | 'heldout',
): { correct: number; total: number; text: string } {
  const commands = corpus.commands.filter((c) => split === undefined || c.split === split);
  const correct = commands.filter(
    (c) => model.classify(c.text, corpus.labels, SINGLE).labels[0] === c.label,
  ).length;
  const text = `${((100 * correct) / commands.length).toFixed(1)}% (${correct}/${commands.length})`;
  return { correct, total: commands.length, text };
}

function expectWellFormed(result: Classification, candidates: readonly string[]): void {
  expect(result.labels).toHaveLength(candidates.length);
  expect([...result.labels].sort()).toEqual([...candidates].sort());
  expect(result.scores.every((s) => typeof s === 'number' && Number.isFinite(s) && s >= 0 && s <= 1)).toBe(
    true,
  );
  for (let i = 1; i < result.scores.length; i++)
    expect(result.scores[i]!).toBeLessThanOrEqual(result.scores[i - 1]!);
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

describe('EmbeddingClassifier quality on bench/corpus/intents.json (label names only)', () => {
  it('beats the plain mean-of-vectors baseline and holds its accuracy', () => {
    const all = accuracy(classifier);
    const dev = accuracy(classifier, 'dev');
    const heldout = accuracy(classifier, 'heldout');
    const baseline = new MeanVectorClassifier(table);
    console.log(`classifier top-1 accuracy: all ${all.text}, dev ${dev.text}, heldout ${heldout.text}`);
    console.log(
      `baseline (plain mean of word vectors) top-1 accuracy: all ${accuracy(baseline).text}, ` +
        `dev ${accuracy(baseline, 'dev').text}, heldout ${accuracy(baseline, 'heldout').text}`,
    );
    // The goal of 80% overall is met by the sentence classifier (../sentence), which adds a
    // sentence encoder. With 100-d GloVe vectors and bare label names alone it is out of
    // reach without fitting the test set: "navigation" sits among maritime/technical words
    // and most place words ("downtown", "parking", "airport") sit nearer "shopping". These
    // floors guard the measured result (71.4% overall, 75.0% held out) against regressions.
    // Tried on the dev split and dropped, as none beat the current 29/42 by more than one
    // sentence: z-scoring each label against background words (24-28) or against random
    // pseudo-sentences (25-29); word voting by per-word softmax (23-29); labels as word sets
    // scored by max or soft-max over members (22-28), with or without each morphological
    // relative's own neighbours (23-24); weighting words or neighbours by their length
    // outside the common direction (26-30); weighting a compound label's head word (28-30);
    // removing 1-5 further principal components (24-26). The wrong labels win by wide
    // margins (0.15-0.3 cosine), not near ties: the vectors lack the links, not the scoring.
    expect(all.correct / all.total).toBeGreaterThanOrEqual(0.7);
    expect(heldout.correct / heldout.total).toBeGreaterThanOrEqual(0.7);
  });
});

describe('EmbeddingClassifier behaviour', () => {
  const labels = corpus.labels;

  it('gives single-label scores that sum to 1, best first', () => {
    const result = classifier.classify('play some jazz music', labels, SINGLE);
    expectWellFormed(result, labels);
    expect(sum(result.scores)).toBeCloseTo(1, 9);
    expect(result.labels[0]).toBe('music');
  });

  it('gives independent multi-label scores in [0, 1]', () => {
    const result = classifier.classify('play some jazz music', labels, MULTI);
    expectWellFormed(result, labels);
    expect(result.labels[0]).toBe('music');
    expect(Math.abs(sum(result.scores) - 1)).toBeGreaterThan(0.01);
    // A label's score does not depend on which other labels were asked about.
    const alone = classifier.classify('play some jazz music', ['music'], MULTI);
    expect(alone.scores[0]).toBe(result.scores[0]);
    const other = classifier.classify('play some jazz music', ['weather', 'music', 'alarm'], MULTI);
    expect(other.scores[other.labels.indexOf('music')]).toBe(result.scores[0]);
  });

  it('is deterministic, whatever the label cache holds', () => {
    const first = classifier.classify('remind me to buy milk tomorrow', labels, SINGLE);
    expect(classifier.classify('remind me to buy milk tomorrow', labels, SINGLE)).toEqual(first);
    expect(new EmbeddingClassifier(table).classify('remind me to buy milk tomorrow', labels, SINGLE)).toEqual(
      first,
    );
  });

  it('applies the hypothesis template', () => {
    const plain = classifier.classify('will it rain tomorrow', labels, SINGLE);
    const templated = classifier.classify('will it rain tomorrow', labels, {
      multiLabel: false,
      hypothesisTemplate: 'This request is about {}.',
    });
    expectWellFormed(templated, labels);
    expect(templated.labels[0]).toBe('weather');
    expect(templated.scores).not.toEqual(plain.scores);
    // Unknown label words leave only the template, shared by all: a uniform answer.
    const nonsense = classifier.classify('will it rain tomorrow', ['qzxv', 'vxzq'], {
      multiLabel: false,
      hypothesisTemplate: 'weather {}',
    });
    expect(nonsense.scores).toEqual([0.5, 0.5]);
    const noPlaceholder = classifier.classify('will it rain tomorrow', labels, {
      multiLabel: true,
      hypothesisTemplate: 'this is about',
    });
    expectWellFormed(noPlaceholder, labels);
  });

  it('answers uniformly, in input order, when the text has no known word', () => {
    for (const text of ['qzxv vxqz', '😀🎵', '   ', '東京']) {
      const single = classifier.classify(text, labels, SINGLE);
      expect(single.labels).toEqual(labels);
      for (const score of single.scores) expect(score).toBeCloseTo(1 / labels.length, 12);
      const multi = classifier.classify(text, labels, MULTI);
      expect(multi.labels).toEqual(labels);
      expect(new Set(multi.scores).size).toBe(1);
      expectWellFormed(multi, labels);
    }
  });

  it('copes with unknown, empty, duplicate, stop-word and unicode labels', () => {
    const odd = ['music', 'qzxvw', '', 'music', 'the', 'Café ☕', 'MUSIC!!', 'x'.repeat(500)];
    for (const options of [SINGLE, MULTI]) {
      const result = classifier.classify('play some jazz music', odd, options);
      expectWellFormed(result, odd);
      expect(result.labels.slice(0, 3).sort()).toEqual(['MUSIC!!', 'music', 'music']);
    }
    const single = classifier.classify('play some jazz music', odd, SINGLE);
    expect(sum(single.scores)).toBeCloseTo(1, 9);
  });

  it('copes with long and mixed-script text', () => {
    const text = `${'turn the kitchen lights on please '.repeat(200)} Ünïcödé — 東京 😀 don't café`;
    expectWellFormed(classifier.classify(text, labels, SINGLE), labels);
    expectWellFormed(classifier.classify(text, labels, MULTI), labels);
  });

  it('stays finite and reasonably fast with 1,000 labels', () => {
    const many = Array.from(
      { length: 1000 },
      (_, i) => `${table.words[500 + i * 41]} ${table.words[900 + i * 17]}`,
    );
    let started = performance.now();
    const first = classifier.classify('set an alarm for six thirty', many, SINGLE);
    const uncachedMs = performance.now() - started;
    started = performance.now();
    const again = classifier.classify('set an alarm for six thirty', many, MULTI);
    const cachedMs = performance.now() - started;
    console.log(`1,000 labels: ${uncachedMs.toFixed(0)} ms uncached, ${cachedMs.toFixed(1)} ms cached`);
    expectWellFormed(first, many);
    expectWellFormed(again, many);
    expect(sum(first.scores)).toBeCloseTo(1, 9);
    expect(uncachedMs).toBeLessThan(30_000);
    expect(cachedMs).toBeLessThan(500);
  });

  it('classifies a short command in well under 2 ms once its labels are known', () => {
    const texts = corpus.commands.map((c) => c.text);
    for (const text of texts) classifier.classify(text, labels, SINGLE);
    const started = performance.now();
    const rounds = 20;
    for (let r = 0; r < rounds; r++) for (const text of texts) classifier.classify(text, labels, SINGLE);
    const perCallMs = (performance.now() - started) / (rounds * texts.length);
    console.log(`classify(): ${(perCallMs * 1000).toFixed(0)} µs per call (7 labels, cached)`);
    expect(perCallMs).toBeLessThan(2);
  });
});
