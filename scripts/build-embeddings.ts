/** Builds the word-embedding table the zero-shot classifier loads (a no-op when it is current). */
import { ensureEmbeddingTable } from '../servers/engines/classify/embedding/build-table.js';

const started = performance.now();
const dir = await ensureEmbeddingTable(process.argv[2]);
console.log(`embedding table ready in ${dir} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
