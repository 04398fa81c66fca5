import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { CpuBurner } from '../../servers/engines/stt/reference/cpu-burner.js';
import type { ServerProtocol } from '../../servers/server-protocols.js';
import { balanceProblems } from '../accounting/request-counts.js';
import { type BenchRpc, buildRequestPayload, type RequestPayload } from '../drivers/request-payloads.js';
import { runClosedLoop } from '../load/closed-loop.js';
import type { LoadResult } from '../load/load-result.js';
import { runOpenLoop } from '../load/open-loop.js';
import type { EndReason, Repetition, Results, ScenarioResult } from '../results/results-types.js';
import { resultsSchemaVersion } from '../results/results-types.js';
import { compareVariants, summarizeScenario } from '../results/summarize-scenario.js';
import type { Scenario, SttName, Suite, Variant } from '../scenarios/suite.js';
import { repetitionOrder } from '../stats/repetition-order.js';
import { runStreamingScenario } from '../streaming/index.js';
import { driverFor, serverProtocolOf } from './driver-for-variant.js';
import { DriverMonitor } from './driver-monitor.js';
import { captureEnvironment } from './environment.js';
import { ProgressProbe, type ProgressSnapshot } from './progress-probe.js';
import { ServerProcess } from './server-process.js';
import { streamingClipAudio, streamingRepetition } from './streaming-repetition.js';

export interface RunOptions {
  readonly suite: Suite;
  readonly host: string;
  /** Server on CPU 0, driver on CPU 1 (Linux, taskset). */
  readonly pin: boolean;
  readonly signal: AbortSignal;
  /** Milliseconds added to every unary call by the servers (tests of the regression gate). */
  readonly injectedServerDelayMs?: number;
}

/** What a run tells its listeners (progress on stderr, say). */
export interface RunEvents {
  servers: [{ protocol: string; pid: number; port: number; engine: string }[]];
  repetitionStart: [{ scenario: Scenario; variant: Variant; repetition: number; payload: string }];
  repetitionEnd: [{ scenario: Scenario; variant: Variant; repetition: Repetition }];
  /** Once a second while load runs (warm-up included). */
  progress: [{ scenario: Scenario; variant: Variant; snapshot: ProgressSnapshot }];
  warning: [string];
}

/**
 * Runs a suite: servers in processes of their own, each scenario's variants in
 * alternating order over its repetitions, every request accounted. A run is an
 * event emitter; `run()` resolves with the results document (also when interrupted).
 */
export class SuiteRun extends EventEmitter<RunEvents> {
  /** Keyed by `serverKey`: one server (process tree) per protocol, speech engine and worker count. */
  private readonly servers = new Map<string, ServerProcess>();
  private readonly warnings: string[] = [];

  constructor(private readonly options: RunOptions) {
    super();
  }

  async run(): Promise<Results> {
    const startedAt = new Date().toISOString();
    const environment = captureEnvironment();
    const scenarios: ScenarioResult[] = [];
    let endReason: EndReason = 'completed';
    try {
      if (this.options.injectedServerDelayMs) {
        this.warn(
          `servers delay every unary call by ${this.options.injectedServerDelayMs} ms on purpose (--inject-server-delay)`,
        );
      }
      if (this.options.pin) this.pinSelf();
      await this.startServers();
      for (const scenario of this.options.suite.scenarios) {
        if (this.options.signal.aborted) break;
        scenarios.push(...(await this.runScenario(scenario)));
      }
      if (this.options.signal.aborted) endReason = 'interrupted';
    } catch (error) {
      endReason = this.options.signal.aborted ? 'interrupted' : 'failed';
      this.warn(`run ${endReason}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await Promise.all([...this.servers.values()].map((server) => server.stop()));
    }
    for (const scenario of scenarios) {
      for (const problem of balanceProblems(scenario.counts))
        this.warn(`${scenario.scenario}/${scenario.variant}: ${problem}`);
    }
    const suite = this.options.suite;
    return {
      schemaVersion: resultsSchemaVersion,
      environment,
      suite: {
        name: suite.name,
        description: suite.description,
        stt: suite.stt,
        pinned: this.options.pin,
        thresholds: suite.thresholds,
      },
      startedAt,
      finishedAt: new Date().toISOString(),
      endReason,
      scenarios,
      comparisons: this.comparisons(scenarios),
      warnings: this.warnings,
    };
  }

  private warn(message: string): void {
    this.warnings.push(message);
    this.emit('warning', message);
  }

  private pinSelf(): void {
    try {
      execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
    } catch {
      this.warn('--pin: taskset failed, so server and driver share the CPUs');
    }
  }

  private async startServers(): Promise<void> {
    const needed = new Map<string, { protocol: ServerProtocol; stt: SttName; workers: number }>();
    for (const { stt, workers, variants } of this.options.suite.scenarios) {
      for (const variant of variants) {
        const protocol = serverProtocolOf(variant);
        needed.set(serverKey(protocol, stt, workers), { protocol, stt, workers });
      }
    }
    // One calibration for all: each server calibrating on its own, on a busy machine, would burn
    // a different amount of CPU per audio second, and the comparisons would compare that.
    const burnRate =
      this.options.suite.realTimeFactor > 0 ? CpuBurner.calibrate(5).iterationsPerSecondRate : undefined;
    // Started together: each loads the embeddings (and sphinx its model) on its own.
    const started = await Promise.allSettled(
      [...needed].map(async ([key, { protocol, stt, workers }]) => {
        const server = await ServerProcess.start({
          protocol,
          host: this.options.host,
          stt,
          workers,
          ...(burnRate === undefined ? {} : { burnRate }),
          realTimeFactor: this.options.suite.realTimeFactor,
          injectedDelayMs: this.options.injectedServerDelayMs ?? 0,
          ...(this.options.pin ? { cpus: '0' } : {}),
        });
        this.servers.set(key, server);
      }),
    );
    const failure = started.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
    this.emit(
      'servers',
      [...this.servers].map(([key, server]) => ({
        protocol: key,
        pid: server.pid,
        port: server.port,
        engine: server.engine,
      })),
    );
  }

  private serverFor(scenario: Scenario, variant: Variant): ServerProcess {
    return this.servers.get(serverKey(serverProtocolOf(variant), scenario.stt, scenario.workers))!;
  }

  private async runScenario(scenario: Scenario): Promise<ScenarioResult[]> {
    const payload = scenario.rpc === 'streaming-transcribe' ? undefined : payloadOf(scenario, scenario.rpc);
    const inFlightPerConnection = Math.ceil(scenario.concurrency / scenario.connections);
    const repetitions = new Map<Variant, Repetition[]>(scenario.variants.map((v) => [v, []]));
    const drivers = new Map<Variant, string>();
    const order = repetitionOrder(scenario.variants, scenario.repetitions);
    for (const [position, { variant, repetition }] of order.entries()) {
      if (this.options.signal.aborted) break;
      const orderPosition = position % scenario.variants.length;
      this.emit('repetitionStart', {
        scenario,
        variant,
        repetition,
        payload: payload?.description ?? `streaming ${scenario.payload}`,
      });
      const result = payload
        ? await this.runOnce(scenario, variant, payload, inFlightPerConnection, repetition, orderPosition)
        : await this.runStreamingOnce(scenario, variant, repetition, orderPosition);
      drivers.set(variant, result.driver);
      repetitions.get(variant)!.push(result.repetition);
      this.emit('repetitionEnd', { scenario, variant, repetition: result.repetition });
    }
    return scenario.variants
      .filter((variant) => repetitions.get(variant)!.length > 0)
      .map((variant) =>
        summarizeScenario(scenario, {
          variant,
          driver: drivers.get(variant)!,
          engine: this.serverFor(scenario, variant).engine,
          inFlightPerConnection,
          repetitions: repetitions.get(variant)!,
        }),
      );
  }

  private async runOnce(
    scenario: Scenario,
    variant: Variant,
    payload: RequestPayload,
    inFlightPerConnection: number,
    index: number,
    orderPosition: number,
  ): Promise<{ driver: string; repetition: Repetition }> {
    const server = this.serverFor(scenario, variant);
    const driver = driverFor(variant, scenario.family, {
      host: this.options.host,
      port: server.port,
      payload,
      timeoutMs: scenario.timeoutMs,
    });
    try {
      const probe = new ProgressProbe();
      const connections = probe.wrap(
        await driver.connect({ connections: scenario.connections, inFlightPerConnection }),
      );
      const ticker = setInterval(
        () => this.emit('progress', { scenario, variant, snapshot: probe.snapshot() }),
        1000,
      );
      const before = server.sample();
      const monitor = new DriverMonitor();
      const common = {
        inFlightPerConnection,
        warmupMs: scenario.warmupMs,
        durationMs: scenario.durationMs,
        signal: this.options.signal,
      };
      let result: LoadResult;
      try {
        result =
          scenario.load.model === 'open'
            ? await runOpenLoop(connections, {
                ...common,
                ratePerSecond: scenario.load.rate,
                maxLateMs: scenario.load.maxLateMs,
              })
            : await runClosedLoop(connections, common);
      } finally {
        clearInterval(ticker);
      }
      const driverLoad = monitor.stop();
      const after = server.sample();
      const answered = result.counts.ok + result.counts.failed;
      // CPU was sampled around warm-up and window together: spread it over both, at the window's rate.
      const answeredInSample =
        answered * ((scenario.warmupMs + result.durationMs) / Math.max(1, result.durationMs));
      const uncorrected = result.latencyUncorrected;
      const repetition: Repetition = {
        index,
        orderPosition,
        counts: result.counts,
        rps: result.throughput,
        durationMs: result.durationMs,
        latencyUs: result.latency.percentiles(),
        histogram: result.latency.encode(),
        ...(uncorrected
          ? { latencyUsUncorrected: uncorrected.percentiles(), histogramUncorrected: uncorrected.encode() }
          : {}),
        timeline: result.timeline,
        bytes: {
          written: result.bytesWritten,
          read: result.bytesRead,
          ...(result.bytesBreakdown ? { breakdown: result.bytesBreakdown } : {}),
        },
        resources: {
          serverCpuUsPerRequest:
            before && after && answeredInSample > 0 ? (after.cpuUs - before.cpuUs) / answeredInSample : 0,
          serverPeakRssBytes: after?.peakRssBytes ?? 0,
          driverCpu: driverLoad.cpu,
          driverEventLoopP99Ms: driverLoad.eventLoopP99Ms,
          driverSaturated: driverLoad.saturated,
        },
      };
      return { driver: driver.name, repetition };
    } finally {
      await driver.close();
    }
  }

  private async runStreamingOnce(
    scenario: Scenario,
    variant: Variant,
    index: number,
    orderPosition: number,
  ): Promise<{ driver: string; repetition: Repetition }> {
    const server = this.serverFor(scenario, variant);
    const before = server.sample();
    const monitor = new DriverMonitor();
    const result = await runStreamingScenario({
      protocol: variant === 'rest-binary-h1' ? 'rest' : 'grpc',
      host: this.options.host,
      port: server.port,
      audio: streamingClipAudio(scenario.payload),
      pace: scenario.streaming!.pace,
      streams: scenario.streaming!.streams,
      concurrency: Math.min(scenario.concurrency, scenario.streaming!.streams),
      timeoutMs: scenario.timeoutMs,
      signal: this.options.signal,
    });
    const repetition = streamingRepetition(result, {
      index,
      orderPosition,
      driverLoad: monitor.stop(),
      before,
      after: server.sample(),
    });
    for (const problem of result.problems) this.warn(`${scenario.name}/${variant}: ${problem}`);
    return { driver: `${result.protocol}-stream-client`, repetition };
  }

  private comparisons(scenarios: readonly ScenarioResult[]) {
    const reference: Variant = 'rest-json-h1';
    return scenarios.flatMap((a) => {
      if (a.variant === reference) return [];
      const b = scenarios.find((s) => s.scenario === a.scenario && s.variant === reference);
      if (!b || a.repetitions.length === 0 || b.repetitions.length === 0) return [];
      // A variant with no answers has no figures to divide.
      return compareVariants(a, b).filter((comparison) => Number.isFinite(comparison.ratio));
    });
  }
}

function serverKey(protocol: ServerProtocol, stt: SttName, workers: number): string {
  return workers === 1 ? `${protocol}/${stt}` : `${protocol}/${stt}/w${workers}`;
}

function payloadOf(scenario: Scenario, rpc: BenchRpc): RequestPayload {
  return buildRequestPayload({
    rpc,
    clipKind: scenario.payload === 'command' ? undefined : scenario.payload,
  });
}
