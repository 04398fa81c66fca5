import { ensureEmbeddingTable } from './build-table.js';
import { EmbeddingClassifier } from './classifier.js';
import { loadEmbeddingTable } from './table.js';

export { ensureEmbeddingTable } from './build-table.js';
export { EmbeddingClassifier } from './classifier.js';
export { type EmbeddingTable, loadEmbeddingTable } from './table.js';

/** Builds the table if needed (seconds, once per checkout), then loads it (~70 ms). */
export async function createEmbeddingClassifier(cacheDir?: string): Promise<EmbeddingClassifier> {
  return new EmbeddingClassifier(loadEmbeddingTable(await ensureEmbeddingTable(cacheDir)));
}
