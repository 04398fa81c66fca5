/**
 * Sentence vectors from the encoder thread (encoder-worker.ts): one model per process,
 * loaded once, asked for many sentences at a time. Vectors come back unit length.
 */
import { Worker } from 'node:worker_threads';
import { ServiceError } from '../../../core/service-error.js';
import { normalise } from '../embedding/vectors.js';
import type { EncoderReply, EncoderRequest } from './encoder-messages.js';

interface Pending {
  readonly resolve: (vectors: readonly Float32Array[]) => void;
  readonly reject: (error: ServiceError) => void;
}

export class SentenceEncoder {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Set once the thread has gone: every later request fails with it. */
  private failure: ServiceError | undefined;

  private constructor(worker: Worker) {
    this.worker = worker;
  }

  /** Starts the thread and resolves once its model is loaded (about 0.3 s). */
  static start(): Promise<SentenceEncoder> {
    const worker = new Worker(new URL('./encoder-worker-entry.js', import.meta.url));
    const encoder = new SentenceEncoder(worker);
    return new Promise((resolve, reject) => {
      const failedToStart = (error: Error) =>
        reject(new Error(`the sentence encoder did not start: ${error.message}`));
      const exitedEarly = (code: number) =>
        reject(new Error(`the sentence encoder exited with code ${code} before its model was loaded`));
      worker.once('error', failedToStart);
      worker.once('exit', exitedEarly);
      worker.on('message', (reply: EncoderReply) => {
        if (reply.kind !== 'ready') return encoder.answer(reply);
        worker.off('error', failedToStart);
        worker.off('exit', exitedEarly);
        worker.on('error', (error) => encoder.lost(`failed: ${error.message}`));
        worker.on('exit', (code) => encoder.lost(`exited with code ${code}`));
        resolve(encoder);
      });
    });
  }

  embed(texts: readonly string[]): Promise<readonly Float32Array[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, texts } satisfies EncoderRequest);
    });
  }

  async close(): Promise<void> {
    this.lost('was closed');
    await this.worker.terminate();
  }

  private answer(reply: Exclude<EncoderReply, { kind: 'ready' }>): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.kind === 'vectors') pending.resolve(reply.vectors.map((vector) => normalise(vector)));
    else pending.reject(new ServiceError('INTERNAL', `the sentence encoder failed: ${reply.message}`));
  }

  private lost(how: string): void {
    this.failure ??= new ServiceError('UNAVAILABLE', `the sentence encoder ${how}`);
    for (const { reject } of this.pending.values()) reject(this.failure);
    this.pending.clear();
  }
}
