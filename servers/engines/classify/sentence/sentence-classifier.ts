import type { Classification, ClassifyOptions, ZeroShotClassifier } from '../../../core/engines.js';
import type { EmbeddingClassifier } from '../embedding/classifier.js';
import { LruCache } from '../embedding/lru.js';
import { rankDescending, sigmoid, softmax } from '../embedding/scores.js';
import { dot } from '../embedding/vectors.js';
import type { SentenceEncoder } from './sentence-encoder.js';

/**
 * Weight of the word-vector similarity beside the sentence encoder's cosine, chosen on
 * the intent set's dev split among 0, 0.25, 0.5, 1 and 2 (dev 30, 33, 32, 31, 30 of 42):
 * the encoder knows what a request is for, the word vectors add topical words it misses.
 */
const WORD_WEIGHT = 0.25;
/** Softmax temperature and multi-label sigmoid, fitted on the dev split as for the word classifier. */
const TEMPERATURE = 0.065;
const SIGMOID_CENTRE = 0.4;
const SIGMOID_SCALE = 0.08;
const cachedLabels = 4096;

/** The sentence a label is compared as: the label alone, or put into the hypothesis template. */
export function hypothesisOf(label: string, template: string): string {
  if (template === '') return label;
  return template.includes('{}') ? template.replaceAll('{}', label) : `${template} ${label}`;
}

/**
 * Zero-shot classification by sentence similarity: Google's Universal Sentence Encoder
 * (lite) embeds the text and each label's hypothesis, and the word-vector classifier's
 * similarity is added at a small weight. It costs milliseconds of CPU per text, on the
 * encoder's own thread; the word-vector classifier alone costs microseconds.
 */
export class SentenceClassifier implements ZeroShotClassifier {
  readonly name = 'sentence-use+sg100d';
  private readonly hypotheses = new LruCache<string, Float32Array>(cachedLabels);

  constructor(
    private readonly encoder: SentenceEncoder,
    private readonly words: EmbeddingClassifier,
  ) {}

  /** Raw similarity of `text` to each label, in input order (all 0 for a blank text). */
  async similarities(text: string, candidateLabels: readonly string[], template: string): Promise<number[]> {
    if (text.trim() === '') return candidateLabels.map(() => 0);
    const hypotheses = candidateLabels.map((label) => hypothesisOf(label, template));
    const known = new Map<string, Float32Array>();
    for (const hypothesis of hypotheses) {
      const vector = this.hypotheses.get(hypothesis);
      if (vector) known.set(hypothesis, vector);
    }
    const missing = [...new Set(hypotheses.filter((hypothesis) => !known.has(hypothesis)))];
    const [textVector, ...missingVectors] = await this.encoder.embed([text, ...missing]);
    for (const [i, hypothesis] of missing.entries()) {
      known.set(hypothesis, missingVectors[i]!);
      this.hypotheses.set(hypothesis, missingVectors[i]!);
    }
    const wordSimilarities = this.words.similarities(text, candidateLabels, template);
    return hypotheses.map((hypothesis, i) => {
      const vector = known.get(hypothesis)!;
      return dot(textVector!, 0, vector, 0, vector.length) + WORD_WEIGHT * wordSimilarities[i]!;
    });
  }

  async classify(
    text: string,
    candidateLabels: readonly string[],
    options: ClassifyOptions,
  ): Promise<Classification> {
    const similarities = await this.similarities(text, candidateLabels, options.hypothesisTemplate);
    const scores = options.multiLabel
      ? sigmoid(similarities, SIGMOID_CENTRE, SIGMOID_SCALE)
      : softmax(similarities, TEMPERATURE);
    const order = rankDescending(scores);
    return { labels: order.map((i) => candidateLabels[i]!), scores: order.map((i) => scores[i]!) };
  }

  close(): Promise<void> {
    return this.encoder.close();
  }
}
