import type { RequestCounts } from '../accounting/request-counts.js';
import type { Environment } from '../run/environment.js';
import type { LatencyPercentilesUs } from '../stats/latency-histogram.js';

export type SoakServer = 'grpc' | 'rest';

/** One look at one server: its memory from /proc and its event loop from inside. */
export interface SoakServerSample {
  /** VmRSS, read from /proc by the soak process. */
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
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

/** How much a memory figure grew after warm-up (RSS decides the verdict; heap helps read it). */
export interface MemoryGrowth {
  /** Median over the first stretch after warm-up. */
  readonly afterWarmupBytes: number;
  /** Median over the last stretch. */
  readonly endBytes: number;
  readonly percent: number;
  /** Samples in each of the two stretches. */
  readonly samplesPerStretch: number;
}

export interface SoakServerSummary {
  readonly server: SoakServer;
  readonly pid: number;
  /** Undefined when no sample was taken after warm-up (a run stopped early). */
  readonly rssGrowth?: MemoryGrowth;
  /** The JS heap's growth the same way: flat heap under growing RSS points at native memory, not a JS leak. */
  readonly heapUsedGrowth?: MemoryGrowth;
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
