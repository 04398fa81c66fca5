import type { TuningSetting } from '../../servers/tuning.js';
import type { RequestCounts } from '../accounting/request-counts.js';
import type { ByteBreakdown } from '../drivers/byte-breakdown.js';
import type { FaultRecord } from '../faults/faulted-run.js';
import type { TimelineBucket } from '../load/load-result.js';
import type { NetworkRecord } from '../network/run-networks.js';
import type { Environment } from '../run/environment.js';
import type { ServerWarmup } from '../run/server-warmup.js';
import type { Family, LoadModel, Payload, Rpc, Variant } from '../scenarios/suite.js';
import type { LatencyPercentilesUs } from '../stats/latency-histogram.js';
import type { PairsToNarrow, VerdictKind } from '../stats/verdict.js';

export const resultsSchemaVersion = 1;

/**
 * `running` marks a checkpoint: written during the run after every repetition, it stays
 * behind only when the run was killed before it could write its final document.
 */
export type EndReason = 'completed' | 'interrupted' | 'failed' | 'running';

/** A figure over repetitions: its median and a 95% interval. */
export interface Estimate {
  readonly median: number;
  readonly low: number;
  readonly high: number;
  /** How the interval was computed. */
  readonly method: string;
}

export interface ResourceUse {
  /** Server CPU microseconds per answered request (primary and workers together). */
  readonly serverCpuUsPerRequest: number;
  /** Peak RSS summed over the server's processes (primary and workers). */
  readonly serverPeakRssBytes: number;
  /** Driver process CPU as a share of one core (1 = 100%). */
  readonly driverCpu: number;
  readonly driverEventLoopP99Ms: number;
  /** The driver, not the server, may have been the bottleneck. */
  readonly driverSaturated: boolean;
  /** How long the driver was watched (warm-up and window); absent in older results. */
  readonly driverWindowMs?: number;
}

export interface Repetition {
  readonly index: number;
  /** Position of this variant in the repetition's A/B order (0 = went first). */
  readonly orderPosition: number;
  readonly counts: RequestCounts;
  readonly rps: number;
  readonly durationMs: number;
  readonly latencyUs: LatencyPercentilesUs;
  readonly latencyUsUncorrected?: LatencyPercentilesUs;
  /** HDR compressed base64: merge these, never percentiles. */
  readonly histogram: string;
  readonly histogramUncorrected?: string;
  readonly timeline: readonly TimelineBucket[];
  readonly bytes: {
    readonly written: number;
    readonly read: number;
    /** The same window's bytes by part (bench/drivers/byte-breakdown.ts), for transport drivers. */
    readonly breakdown?: ByteBreakdown;
    /**
     * Over TLS, the byte counts are the encrypted bytes on the wire and `breakdown` is of
     * the plaintext: this is the rest (handshake, record headers, AEAD tags, session
     * tickets), the wire bytes minus the plaintext parts. OpenSSL does the encryption,
     * so it cannot be counted record by record here. Being a difference, plaintext still
     * queued in the TLS layer at the window's edges shifts it (below 0 is possible on big uploads).
     */
    readonly tls?: { readonly written: number; readonly read: number };
  };
  readonly resources: ResourceUse;
  /** streaming-transcribe only: counts and latencies per message (see bench/streaming). */
  readonly streaming?: StreamingFigures;
  /** Scenarios with faults: when each was on, failures by cause, the outage and recovery (bench/faults). */
  readonly faults?: FaultRecord;
  /**
   * Client family: unary calls the client libraries made and the attempts they took
   * (retries included), over the whole repetition with warm-up and connect.
   */
  readonly attempts?: { readonly calls: number; readonly attempts: number };
  /** Browser family: the page's timer and the browser's own CPU (bench/browser). */
  readonly browser?: BrowserFigures;
}

export interface BrowserFigures {
  /** The browser's own version (headless Chromium's user agent shows only the major one). */
  readonly version: string;
  readonly userAgent: string;
  /** The smallest step of the page's performance.now(), µs. */
  readonly timerResolutionUs: number;
  readonly crossOriginIsolated: boolean;
  /** Share of the wall time the page's main thread was busy. */
  readonly pageMainThreadBusy: number;
  /** Renderer and all Chromium processes' CPU, in cores. */
  readonly rendererCpu: number;
  readonly browserCpu: number;
  /** The browser was near a whole core: it, not the server, may have set the figures. */
  readonly limited: boolean;
}

export interface StreamingFigures {
  readonly pace: 'realtime' | 'asap';
  readonly chunkMs: number;
  readonly audioSeconds: number;
  /** Per audio chunk message: `sent = ok + failed + timedOut + notSent + cancelled`. */
  readonly chunks: RequestCounts;
  /** `received = partials + finals`. */
  readonly responses: { readonly received: number; readonly partials: number; readonly finals: number };
  readonly timeToFirstPartialUs: LatencyPercentilesUs;
  /** Per result message: time since the chunk that completed the audio it reports. */
  readonly messageLatencyUs: LatencyPercentilesUs;
  readonly messageLatencyHistogram: string;
  readonly messagesPerSecond: { readonly sent: number; readonly received: number };
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly variant: Variant;
  /** Server processes sharing the port (`serve --workers`); absent in older files = 1. */
  readonly workers?: number;
  /** The scenario this one was expanded from by a `workers` list: its scaling series. */
  readonly scalingOf?: string;
  readonly rpc: Rpc;
  readonly payload: Payload;
  readonly family: Family;
  /** Over TLS (absent in results written before TLS existed: plaintext). */
  readonly tls?: boolean;
  /** A sweep's size (`0.5s`…`60s` of audio, `command`…`4KB` of text) and the scenario it was expanded from. */
  readonly size?: string;
  readonly sizeOf?: string;
  /** The path between driver and servers and this run's check of it (absent in older results: loopback). */
  readonly network?: NetworkRecord;
  /** The servers' and clients' tuning and every setting it used (absent in older results: default). */
  readonly tuning?: { readonly name: 'default' | 'tuned'; readonly settings: readonly TuningSetting[] };
  readonly driver: string;
  readonly engine: string;
  readonly loadModel: LoadModel;
  readonly connectionPolicy: { readonly connections: number; readonly inFlightPerConnection: number };
  readonly warmupMs: number;
  /**
   * The server driven until its throughput stopped rising, before this variant's first
   * repetition (bench/run/server-warmup.ts); absent where the run found it warm already, for
   * browsers and streaming, and in results from before it existed.
   */
  readonly serverWarmup?: ServerWarmup;
  readonly durationMs: number;
  readonly repetitions: readonly Repetition[];
  /** Sums over repetitions; the identity holds for these too. */
  readonly counts: RequestCounts;
  /** All repetitions' histograms merged. */
  readonly histogram: string;
  readonly latencyUs: LatencyPercentilesUs;
  readonly latencyUsUncorrected?: LatencyPercentilesUs;
  readonly estimates: {
    readonly rps: Estimate;
    readonly p50Us: Estimate;
    readonly p99Us: Estimate;
    readonly serverCpuUsPerRequest: Estimate;
  };
  readonly warnings: readonly string[];
}

export interface Comparison {
  readonly scenario: string;
  readonly a: Variant;
  readonly b: Variant;
  readonly figure: 'rps' | 'p50Us' | 'p99Us';
  /** a ÷ b: the geometric mean of the pairs' ratios (repetition i of a ÷ repetition i of b). */
  readonly ratio: number;
  /** 95% interval of a ÷ b (Student-t on the log-ratios); absent below two pairs. */
  readonly interval?: { readonly low: number; readonly high: number };
  /** Pairs of repetitions compared; absent in results written before verdict kinds existed. */
  readonly pairs?: number;
  /** faster | equivalent | undecided (bench/stats/verdict.ts); absent in older results. */
  readonly kind?: VerdictKind;
  /** The verdict in words: "grpc faster by 36% (…)", "no difference larger than 4% (…)", "undecided: …". */
  readonly verdict: string;
  /** Undecided: the pairs that would narrow the interval to ±10%, or `never` between two server processes (verdict.ts). */
  readonly pairsToNarrow?: PairsToNarrow;
}

export interface Results {
  readonly schemaVersion: typeof resultsSchemaVersion;
  readonly environment: Environment;
  readonly suite: {
    readonly name: string;
    readonly description: string;
    readonly stt: string;
    readonly pinned: boolean;
    /**
     * Node's flags for every server process the run started (bench/run/server-node-flags.ts: the
     * young generation fixed, or [] for V8's own sizing); absent for --servers and in older results.
     */
    readonly serverNodeFlags?: readonly string[];
    /** Each server process's engine threads (UV_THREADPOOL_SIZE), when the suite set them. */
    readonly engineThreads?: number;
    /** The servers' zero-shot classifier choice (`words` or `sentence`); absent in results written before it existed. */
    readonly classifier?: string;
    readonly thresholds: readonly string[];
  };
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly endReason: EndReason;
  readonly scenarios: readonly ScenarioResult[];
  readonly comparisons: readonly Comparison[];
  readonly warnings: readonly string[];
  /** Set by `merge`: each merged driver's own figures. */
  readonly workers?: readonly WorkerSummary[];
}

/** One driver's part in merged results (see bench/results/merge-results.ts). */
export interface WorkerSummary {
  /** The results.json it came from. */
  readonly source: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly endReason: EndReason;
  readonly environment: Environment;
  readonly scenarios: ReadonlyArray<{
    readonly scenario: string;
    readonly variant: Variant;
    readonly counts: RequestCounts;
    readonly rpsByRepetition: readonly number[];
    readonly latencyUs: LatencyPercentilesUs;
  }>;
  readonly warnings: readonly string[];
}
