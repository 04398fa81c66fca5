import type { ZeroShotClassifier } from '../../core/engines.js';
import { createEmbeddingClassifier } from './embedding/index.js';
import { SentenceClassifier } from './sentence/sentence-classifier.js';
import { SentenceEncoder } from './sentence/sentence-encoder.js';

/**
 * `words`: word vectors alone, microseconds per call on the event loop, the benchmarks'
 * classifier. `sentence`: a sentence encoder beside them, milliseconds per call on a
 * thread of its own, and more accurate (README, "Known limits").
 */
export const classifierChoices = ['words', 'sentence'] as const;
export type ClassifierChoice = (typeof classifierChoices)[number];

export async function selectClassifier(choice: ClassifierChoice): Promise<ZeroShotClassifier> {
  if (choice === 'words') return createEmbeddingClassifier();
  // The encoder loads its model on its own thread meanwhile.
  const [encoder, words] = await Promise.all([SentenceEncoder.start(), createEmbeddingClassifier()]);
  return new SentenceClassifier(encoder, words);
}
