import { ServiceError } from '../../../core/service-error.js';

export interface DecoderPoolOptions<D> {
  readonly size: number;
  /** Requests allowed to wait for a decoder; one more is refused with RESOURCE_EXHAUSTED. */
  readonly maxQueue: number;
  readonly create: () => Promise<D>;
  /** Must be safe on a decoder that is still working (the native one defers until done). */
  readonly destroy: (decoder: D) => void;
}

export interface DecoderLease<D> {
  readonly decoder: D;
  /** Gives the decoder back; calling it again does nothing. */
  release(): void;
}

interface Waiter<D> {
  resolve(lease: DecoderLease<D>): void;
  reject(error: Error): void;
}

/** libuv runs 4 threads unless UV_THREADPOOL_SIZE says otherwise; more decoders than that would only queue there. */
export function defaultPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const threads = Number(env.UV_THREADPOOL_SIZE);
  return Number.isInteger(threads) && threads >= 1 ? threads : 4;
}

/**
 * A fixed set of decoders, each holding its own copy of the model, loaded once.
 * Requests beyond the pool wait in a bounded FIFO queue.
 */
export class DecoderPool<D> {
  readonly size: number;
  readonly maxQueue: number;
  private readonly idle: D[];
  private readonly waiters: Waiter<D>[] = [];
  private closed = false;

  private constructor(
    private readonly options: DecoderPoolOptions<D>,
    private readonly decoders: readonly D[],
  ) {
    this.size = decoders.length;
    this.maxQueue = options.maxQueue;
    this.idle = [...decoders];
  }

  static async create<D>(options: DecoderPoolOptions<D>): Promise<DecoderPool<D>> {
    if (!Number.isInteger(options.size) || options.size < 1)
      throw new RangeError('pool size must be an integer >= 1');
    if (!Number.isInteger(options.maxQueue) || options.maxQueue < 0) {
      throw new RangeError('maxQueue must be an integer >= 0');
    }
    const decoders: D[] = [];
    try {
      // One at a time: loading reads ~100 MB of model per decoder, and in parallel it would only contend.
      for (let i = 0; i < options.size; i++) decoders.push(await options.create());
    } catch (error) {
      for (const decoder of decoders) options.destroy(decoder);
      throw error;
    }
    return new DecoderPool(options, decoders);
  }

  get idleCount(): number {
    return this.idle.length;
  }

  get waitingCount(): number {
    return this.waiters.length;
  }

  acquire(): Promise<DecoderLease<D>> {
    if (this.closed) return Promise.reject(new ServiceError('UNAVAILABLE', 'the sphinx engine is closed'));
    const decoder = this.idle.pop();
    if (decoder !== undefined) return Promise.resolve(this.lease(decoder));
    if (this.waiters.length >= this.maxQueue) {
      return Promise.reject(
        new ServiceError(
          'RESOURCE_EXHAUSTED',
          `all ${this.size} sphinx decoders are busy and ${this.maxQueue} requests are already waiting`,
        ),
      );
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /**
   * Refuses new and waiting requests and frees every decoder, including those in
   * use: their work in flight completes, and their next call is refused.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closing = new ServiceError('UNAVAILABLE', 'the sphinx engine is closing');
    for (const waiter of this.waiters.splice(0)) waiter.reject(closing);
    this.idle.length = 0;
    for (const decoder of this.decoders) this.options.destroy(decoder);
  }

  private lease(decoder: D): DecoderLease<D> {
    let released = false;
    return {
      decoder,
      release: () => {
        if (released) return;
        released = true;
        this.giveBack(decoder);
      },
    };
  }

  private giveBack(decoder: D): void {
    if (this.closed) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(this.lease(decoder));
    else this.idle.push(decoder);
  }
}
