import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PushbackError } from './pushback.js';

export interface LoadSheddingOptions {
  /** Requests in the service at once, at most; absent = unbounded. */
  readonly maxInFlight?: number;
  /** Refuse new requests while the event loop's recent delay (p99, ms) is above this; absent = off. */
  readonly maxEventLoopDelayMs?: number;
  /** What the refusal tells clients to wait (default 1,000 ms). */
  readonly retryAfterMs?: number;
}

/** How often the event-loop delay histogram is read and reset. */
const sampleEveryMs = 500;

/**
 * Load shedding in the manner of @fastify/under-pressure, for every protocol: past
 * the limits a request is refused at once with UNAVAILABLE and a retry delay, rather
 * than queued without bound.
 */
export class LoadShedding {
  private inFlight = 0;
  private recentDelayMs = 0;
  private readonly stopSampling: (() => void) | undefined;

  constructor(readonly options: LoadSheddingOptions) {
    if (options.maxEventLoopDelayMs !== undefined) {
      const histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      const timer = setInterval(() => {
        this.recentDelayMs = histogram.percentile(99) / 1e6;
        histogram.reset();
      }, sampleEveryMs);
      timer.unref();
      this.stopSampling = () => {
        clearInterval(timer);
        histogram.disable();
      };
    }
  }

  get current(): number {
    return this.inFlight;
  }

  /** Counts the request in, or throws UNAVAILABLE; every `enter` that returns needs one `leave`. */
  enter(): void {
    const { maxInFlight, maxEventLoopDelayMs, retryAfterMs = 1000 } = this.options;
    if (maxInFlight !== undefined && this.inFlight >= maxInFlight) {
      throw new PushbackError(
        'UNAVAILABLE',
        `server overloaded: ${maxInFlight} requests already in flight`,
        retryAfterMs,
      );
    }
    if (maxEventLoopDelayMs !== undefined && this.recentDelayMs > maxEventLoopDelayMs) {
      throw new PushbackError(
        'UNAVAILABLE',
        `server overloaded: event-loop delay ${this.recentDelayMs.toFixed(0)} ms is over ${maxEventLoopDelayMs} ms`,
        retryAfterMs,
      );
    }
    this.inFlight += 1;
  }

  leave(): void {
    this.inFlight -= 1;
  }

  close(): void {
    this.stopSampling?.();
  }
}
