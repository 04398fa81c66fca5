import { EventEmitter } from 'node:events';
import { balanceProblems } from '../accounting/request-counts.js';
import type { DriverConnection } from '../drivers/driver.js';
import { type BenchRpc, buildRequestPayload } from '../drivers/request-payloads.js';
import { runOpenLoop } from '../load/open-loop.js';
import { driverFor } from '../run/driver-for-variant.js';
import { captureEnvironment } from '../run/environment.js';
import { ServerProcess } from '../run/server-process.js';
import type { SttName, Variant } from '../scenarios/suite.js';
import { growthBetween, sampledGrowth } from './memory-growth.js';
import type {
  SoakResults,
  SoakSample,
  SoakServer,
  SoakServerSample,
  SoakServerSummary,
  SoakStream,
} from './soak-types.js';

export interface SoakOptions {
  readonly durationMs: number;
  /** Load runs through it at the same rate; RSS growth is measured after it. */
  readonly warmupMs: number;
  readonly sampleIntervalMs: number;
  /** Arrival rate of each of the four streams (req/s). */
  readonly ratePerStream: number;
  readonly host: string;
  readonly stt: SttName;
  readonly maxRssGrowthPercent: number;
  readonly signal: AbortSignal;
}

/** A server's memory right after a full garbage collection. */
interface Retained {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
}

/** RSS less V8's committed heap that holds nothing: native memory plus live objects. */
function inUse(memory: Retained): number {
  return memory.rssBytes - (memory.heapTotalBytes - memory.heapUsedBytes);
}

export interface SoakEvents {
  servers: [{ server: SoakServer; pid: number; port: number }[]];
  sample: [SoakSample];
  warning: [string];
}

/** The mixed load: both RPCs that carry the service's work, over gRPC and REST. */
const streams: readonly { variant: Variant; server: SoakServer; rpc: BenchRpc }[] = [
  { variant: 'grpc', server: 'grpc', rpc: 'classify' },
  { variant: 'grpc', server: 'grpc', rpc: 'transcribe' },
  { variant: 'rest-json-h1', server: 'rest', rpc: 'classify' },
  { variant: 'rest-json-h1', server: 'rest', rpc: 'transcribe' },
];
const connectionsPerStream = 2;
const inFlightPerConnection = 16;
const timeoutMs = 10_000;

/**
 * A long, modest, open-loop mixed load against a gRPC and a REST server in processes of
 * their own, watching both servers' memory and event loops over time: leaks and slow
 * drifts show here, not in a benchmark's seconds-long repetitions.
 */
export class SoakRun extends EventEmitter<SoakEvents> {
  private readonly warnings: string[] = [];

  constructor(private readonly options: SoakOptions) {
    super();
  }

  async run(): Promise<SoakResults> {
    const { options } = this;
    const startedAt = new Date().toISOString();
    const environment = captureEnvironment();
    const servers = new Map<SoakServer, ServerProcess>();
    const samples: SoakSample[] = [];
    const results: SoakStream[] = [];
    const peakRss = new Map<SoakServer, number>();
    const retainedAfterWarmup = new Map<SoakServer, Retained>();
    const retainedAtEnd = new Map<SoakServer, Retained>();
    let warmupTimer: NodeJS.Timeout | undefined;
    let endReason: SoakResults['endReason'] = 'completed';
    const closers: (() => Promise<void>)[] = [];
    let sampler: NodeJS.Timeout | undefined;
    try {
      const started = await Promise.allSettled(
        (['grpc', 'rest'] as const).map(async (server) => {
          const child = await ServerProcess.start({
            protocol: server,
            host: options.host,
            stt: options.stt,
            realTimeFactor: 0,
          });
          servers.set(server, child);
        }),
      );
      const failure = started.find((outcome) => outcome.status === 'rejected');
      if (failure) throw failure.reason;
      this.emit(
        'servers',
        [...servers].map(([server, child]) => ({ server, pid: child.pid, port: child.port })),
      );
      // The first health request starts each server's event-loop watch.
      await Promise.all([...servers.values()].map((server) => server.health()));

      const loads = await Promise.all(
        streams.map(async (stream) => {
          const payload = buildRequestPayload({ rpc: stream.rpc, clipKind: 'short3s' });
          const server = servers.get(stream.server)!;
          const driver = driverFor(stream.variant, 'transport', {
            host: options.host,
            port: server.port,
            payload,
            timeoutMs,
          });
          closers.push(() => driver.close());
          const connections: DriverConnection[] = await driver.connect({
            connections: connectionsPerStream,
            inFlightPerConnection,
          });
          return { stream, driver, connections };
        }),
      );

      const loadStart = performance.now();
      let sampling = Promise.resolve();
      const takeSample = async () => {
        const sample = await this.sample(servers, performance.now() - loadStart, peakRss);
        samples.push(sample);
        this.emit('sample', sample);
      };
      sampler = setInterval(() => {
        sampling = sampling.then(takeSample);
      }, options.sampleIntervalMs);
      // One collection in each server at the end of the warm-up, one at the end of the
      // load: a pause of some milliseconds twice in the soak, for figures that can be compared.
      warmupTimer = setTimeout(() => {
        sampling = sampling.then(() => this.retained(servers, retainedAfterWarmup, peakRss));
      }, options.warmupMs);
      const outcomes = await Promise.all(
        loads.map(({ connections }) =>
          runOpenLoop(connections, {
            ratePerSecond: options.ratePerStream,
            inFlightPerConnection,
            warmupMs: options.warmupMs,
            durationMs: Math.max(0, options.durationMs - options.warmupMs),
            signal: options.signal,
          }),
        ),
      );
      clearInterval(sampler);
      clearTimeout(warmupTimer);
      await sampling;
      // The closing sample: the load's last stretch, right at its end.
      await takeSample();
      await this.retained(servers, retainedAtEnd, peakRss);
      for (const [index, { stream, driver }] of loads.entries()) {
        const outcome = outcomes[index]!;
        results.push({
          variant: stream.variant,
          rpc: stream.rpc,
          driver: driver.name,
          ratePerSecond: options.ratePerStream,
          counts: outcome.counts,
          rps: outcome.throughput,
          latencyUs: outcome.latency.percentiles(),
        });
        const where = `${stream.variant}/${stream.rpc}`;
        for (const problem of balanceProblems(outcome.counts)) this.warn(`${where}: ${problem}`);
        if (outcome.counts.failed > 0)
          this.warn(
            `${where}: ${outcome.counts.failed} failed (${JSON.stringify(outcome.counts.failedByCode)})`,
          );
      }
      if (options.signal.aborted) endReason = 'interrupted';
    } catch (error) {
      endReason = options.signal.aborted ? 'interrupted' : 'failed';
      this.warn(`soak ${endReason}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearInterval(sampler);
      clearTimeout(warmupTimer);
      await Promise.allSettled(closers.map((close) => close()));
      await Promise.all([...servers.values()].map((server) => server.stop()));
    }
    const summaries = (['grpc', 'rest'] as const).flatMap((server) => {
      const child = servers.get(server);
      if (!child) return [];
      const retained = { afterWarmup: retainedAfterWarmup.get(server), end: retainedAtEnd.get(server) };
      return [this.summarize(server, child.pid, samples, peakRss.get(server) ?? 0, retained)];
    });
    const grew = summaries.filter(
      (summary) =>
        summary.inUseGrowth === undefined || summary.inUseGrowth.percent >= options.maxRssGrowthPercent,
    );
    return {
      kind: 'soak',
      environment,
      startedAt,
      finishedAt: new Date().toISOString(),
      endReason,
      settings: {
        durationMs: options.durationMs,
        warmupMs: options.warmupMs,
        sampleIntervalMs: options.sampleIntervalMs,
        stt: options.stt,
        maxRssGrowthPercent: options.maxRssGrowthPercent,
      },
      streams: results,
      servers: summaries,
      samples,
      passed: endReason === 'completed' && summaries.length === 2 && grew.length === 0,
      warnings: this.warnings,
    };
  }

  private async sample(
    servers: ReadonlyMap<SoakServer, ServerProcess>,
    atMs: number,
    peakRss: Map<SoakServer, number>,
  ): Promise<SoakSample> {
    const entries = await Promise.all(
      [...servers].map(async ([server, child]): Promise<[SoakServer, SoakServerSample] | undefined> => {
        const [health, resources] = [await child.health(), child.sample()];
        if (!health || !resources) {
          this.warn(`${server} server: no sample at ${Math.round(atMs)} ms (has it stopped?)`);
          return undefined;
        }
        peakRss.set(server, resources.peakRssBytes);
        return [
          server,
          {
            rssBytes: resources.rssBytes,
            heapUsedBytes: health.heapUsedBytes,
            heapTotalBytes: health.heapTotalBytes,
            externalBytes: health.externalBytes,
            eventLoopDelayMs: health.eventLoopDelayMs,
          },
        ];
      }),
    );
    return {
      atMs: Math.round(atMs),
      servers: Object.fromEntries(entries.filter((entry) => entry !== undefined)),
    };
  }

  /**
   * Each server's memory after a full collection (serve's "health after gc"). The
   * collection itself can raise RSS, so the peak is read again after it.
   */
  private async retained(
    servers: ReadonlyMap<SoakServer, ServerProcess>,
    into: Map<SoakServer, Retained>,
    peakRss: Map<SoakServer, number>,
  ): Promise<void> {
    await Promise.all(
      [...servers].map(async ([server, child]) => {
        const health = await child.health(10_000, { afterGc: true });
        const peak = child.sample()?.peakRssBytes;
        if (peak !== undefined) peakRss.set(server, Math.max(peakRss.get(server) ?? 0, peak));
        if (health) into.set(server, health);
        else this.warn(`${server} server: no memory reading after a collection (has it stopped?)`);
      }),
    );
  }

  private summarize(
    server: SoakServer,
    pid: number,
    samples: readonly SoakSample[],
    peakRssBytes: number,
    retained: { afterWarmup: Retained | undefined; end: Retained | undefined },
  ): SoakServerSummary {
    const afterWarmup = samples
      .filter((sample) => sample.atMs >= this.options.warmupMs)
      .flatMap((sample) => sample.servers[server] ?? []);
    const sampled = sampledGrowth(afterWarmup.map((sample) => sample.rssBytes));
    const { afterWarmup: start, end } = retained;
    return {
      server,
      pid,
      ...(start && end
        ? {
            inUseGrowth: growthBetween(inUse(start), inUse(end)),
            rssGrowth: growthBetween(start.rssBytes, end.rssBytes),
            heapUsedGrowth: growthBetween(start.heapUsedBytes, end.heapUsedBytes),
          }
        : {}),
      ...(sampled ? { sampledRssGrowth: sampled } : {}),
      peakRssBytes,
      eventLoopDelayMs: {
        p99Max: Math.max(0, ...afterWarmup.map((sample) => sample.eventLoopDelayMs.p99)),
        max: Math.max(0, ...afterWarmup.map((sample) => sample.eventLoopDelayMs.max)),
      },
    };
  }

  private warn(message: string): void {
    this.warnings.push(message);
    this.emit('warning', message);
  }
}
