import type { ZeroShotClassifier } from '../../core/engines.js';
import type { ClassifierChoice } from './classifier-choices.js';
import { createEmbeddingClassifier } from './embedding/index.js';
import { SentenceClassifier } from './sentence/sentence-classifier.js';
import { SentenceEncoder } from './sentence/sentence-encoder.js';

export async function selectClassifier(choice: ClassifierChoice): Promise<ZeroShotClassifier> {
  if (choice === 'words') return createEmbeddingClassifier();
  // The encoder loads its model on its own thread meanwhile.
  const [encoder, words] = await Promise.all([SentenceEncoder.start(), createEmbeddingClassifier()]);
  return new SentenceClassifier(encoder, words);
}
