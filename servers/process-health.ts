import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A server process's own view of its health since the previous sample. */
export interface ProcessHealth {
  readonly event: 'health';
  /** Event-loop delay since the previous sample, in milliseconds (timer resolution taken out). */
  readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** What V8 has committed for its heap, used or not (young generation included). */
  readonly heapTotalBytes: number;
  /** Memory outside the V8 heap held by JS objects (Buffers, ArrayBuffers). */
  readonly externalBytes: number;
}

const resolutionMs = 10;

/**
 * Watches the event loop of the process it runs in. Sampled on request over the
 * parent's stdin pipe (see cli/serve.ts), never through the protocols under test,
 * so asking costs the measured servers nothing.
 */
export class ProcessHealthMonitor {
  private readonly histogram = monitorEventLoopDelay({ resolution: resolutionMs });

  constructor() {
    this.histogram.enable();
  }

  /** The figures since the previous call (or since start), then starts afresh. */
  sample(): ProcessHealth {
    // Node records the whole interval between its timer's firings, the resolution included.
    const ms = (ns: number) => Math.max(0, ns / 1e6 - resolutionMs);
    const recorded = this.histogram.count > 0;
    const eventLoopDelayMs = {
      p50: recorded ? ms(this.histogram.percentile(50)) : 0,
      p99: recorded ? ms(this.histogram.percentile(99)) : 0,
      max: recorded ? ms(this.histogram.max) : 0,
    };
    this.histogram.reset();
    const memory = process.memoryUsage();
    return {
      event: 'health',
      eventLoopDelayMs,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      externalBytes: memory.external,
    };
  }

  /**
   * A full, synchronous collection, so that memory figures count what is retained
   * rather than where the collection cycle happens to stand. Only on request (the fuzz tests' leak
   * check): a benchmarked server never pauses for it.
   */
  collectGarbage(): void {
    setFlagsFromString('--expose-gc');
    // Plain gc(): on Node 20's V8 (11.3) the options form leaves the heap as it was.
    (runInNewContext('gc') as () => void)();
  }

  stop(): void {
    this.histogram.disable();
  }
}
