import type { Classification, ClassifyOptions, ZeroShotClassifier } from '../../../core/engines.js';
import type { EmbeddingTable } from './table.js';
import { tokenize } from './tokenizer.js';
import { addScaled, dot, normalise } from './vectors.js';

/**
 * The textbook baseline the real classifier is measured against: the plain mean of the
 * word vectors of text and label, compared by cosine. No stop words, weights or expansion.
 */
export class MeanVectorClassifier implements ZeroShotClassifier {
  readonly name = 'embedding-mean-baseline';
  private readonly table: EmbeddingTable;

  constructor(table: EmbeddingTable) {
    this.table = table;
  }

  private embed(text: string): Float32Array {
    const v = new Float32Array(this.table.dimensions);
    for (const token of tokenize(text)) {
      const row = this.table.rows.get(token);
      if (row !== undefined) addScaled(v, this.table.vectors, row * this.table.dimensions, 1);
    }
    return normalise(v);
  }

  classify(text: string, candidateLabels: readonly string[], options: ClassifyOptions): Classification {
    const t = this.embed(text);
    const sims = candidateLabels.map((label) => {
      const hypothesis =
        options.hypothesisTemplate === '' ? label : options.hypothesisTemplate.replaceAll('{}', label);
      return dot(t, 0, this.embed(hypothesis), 0, this.table.dimensions);
    });
    const order = sims.map((_, i) => i).sort((a, b) => sims[b]! - sims[a]! || a - b);
    return { labels: order.map((i) => candidateLabels[i]!), scores: order.map((i) => sims[i]!) };
  }
}
