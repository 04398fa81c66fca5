import type { RequestCounts } from '../accounting/request-counts.js';
import type { Environment } from '../run/environment.js';
import type { LatencyPercentilesUs } from '../stats/latency-histogram.js';

export type SoakServer = 'grpc' | 'rest';

/** One look at one server: its memory from /proc and its event loop from inside. */
export interface SoakServerSample {
  /** VmRSS, read from /proc by the soak process. */
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** V8's committed heap, used or not: RSS that moves with it is V8 sizing its heap, not a leak. */
  readonly heapTotalBytes: number;
  readonly externalBytes: number;
  /** Since the previous sample (milliseconds, timer resolution taken out). */
  readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

export interface SoakSample {
  /** Milliseconds since the load began. */
  readonly atMs: number;
  readonly servers: Readonly<Partial<Record<SoakServer, SoakServerSample>>>;
}

/** One of the mixed load's open-loop streams (post-warm-up window). */
export interface SoakStream {
  readonly variant: string;
  readonly rpc: string;
  readonly driver: string;
  readonly ratePerSecond: number;
  readonly counts: RequestCounts;
  readonly rps: number;
  readonly latencyUs: LatencyPercentilesUs;
}

/** How much a memory figure grew after warm-up. */
export interface MemoryGrowth {
  readonly afterWarmupBytes: number;
  readonly endBytes: number;
  readonly percent: number;
}

/** Growth between the medians of the first and the last stretch of the samples after warm-up. */
export interface SampledGrowth extends MemoryGrowth {
  /** Samples in each of the two stretches. */
  readonly samplesPerStretch: number;
}

export interface SoakServerSummary {
  readonly server: SoakServer;
  readonly pid: number;
  /**
   * Decides the verdict: memory in use, that is RSS less the part of V8's committed heap
   * that holds nothing, read right after a full garbage collection in the server, once at
   * the end of the warm-up and once at the end of the load. Native memory and live objects
   * count; V8 sizing its heap up or down does not (a forced collection shrinks it, and it
   * grows back to its working size: +16% of RSS on a heap in use flat at 33 MB).
   * Undefined when the run stopped before either reading.
   */
  readonly inUseGrowth?: MemoryGrowth;
  /** RSS at the same two moments, V8's free heap included. */
  readonly rssGrowth?: MemoryGrowth;
  /** The JS heap in use at the same two moments: flat heap under growing RSS points at native memory. */
  readonly heapUsedGrowth?: MemoryGrowth;
  /**
   * RSS as sampled during the load (medians of the first and last tenth after warm-up), for
   * reading only: it moves with the collector and the allocator by ±10% on a flat heap.
   */
  readonly sampledRssGrowth?: SampledGrowth;
  readonly peakRssBytes: number;
  /** The worst per-sample figures after warm-up. */
  readonly eventLoopDelayMs: { readonly p99Max: number; readonly max: number };
}

export interface SoakResults {
  readonly kind: 'soak';
  readonly environment: Environment;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly endReason: 'completed' | 'interrupted' | 'failed';
  readonly settings: {
    readonly durationMs: number;
    readonly warmupMs: number;
    readonly sampleIntervalMs: number;
    readonly stt: string;
    readonly maxRssGrowthPercent: number;
  };
  readonly streams: readonly SoakStream[];
  readonly servers: readonly SoakServerSummary[];
  readonly samples: readonly SoakSample[];
  /** Both servers' RSS grew less than the limit after warm-up. */
  readonly passed: boolean;
  readonly warnings: readonly string[];
}
