import { setTimeout as sleep } from 'node:timers/promises';

export interface TrackedAudioOptions {
  /** Bytes per chunk; once `bytes` runs out, chunks of silence follow. */
  readonly chunkBytes: number;
  readonly chunkMs: number;
  /** A bound, so that a client that never stops reading cannot keep a test alive forever. */
  readonly maxMs: number;
}

/**
 * Audio at real-time pace that does not end by itself (within `maxMs`), and that
 * records whether the client closed it: a client must stop reading its audio
 * when the call is over, whoever ended it.
 */
export class TrackedAudio implements AsyncIterable<Uint8Array> {
  returnCalls = 0;
  chunksYielded = 0;
  /** The source's `finally` ran: it holds no timer any more. */
  stopped = false;
  /** It ran to its bound, which no test should let happen. */
  exhausted = false;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly options: TrackedAudioOptions,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array, void> {
    const source = this.chunks();
    return {
      next: () => source.next(),
      return: () => {
        this.returnCalls++;
        return source.return(undefined);
      },
    };
  }

  private async *chunks(): AsyncGenerator<Uint8Array, void> {
    const { chunkBytes, chunkMs, maxMs } = this.options;
    const start = performance.now();
    try {
      for (let index = 0; index * chunkMs < maxMs; index++) {
        const wait = start + index * chunkMs - performance.now();
        if (wait > 0) await sleep(wait);
        const offset = index * chunkBytes;
        this.chunksYielded++;
        yield offset < this.bytes.length
          ? this.bytes.subarray(offset, offset + chunkBytes)
          : new Uint8Array(chunkBytes);
      }
      this.exhausted = true;
    } finally {
      this.stopped = true;
    }
  }
}

export type Settled<T> =
  | { readonly kind: 'value'; readonly value: T }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'timeout' };

/** How `promise` settled, or `timeout` after `ms`: a hung call fails the test instead of hanging it. */
export async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        (value): Settled<T> => ({ kind: 'value', value }),
        (error: unknown): Settled<T> => ({ kind: 'error', error }),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
