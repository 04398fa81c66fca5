import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import type { ClientTls } from '../../clients/client-tls.js';
import { CpuBurner } from '../../servers/engines/stt/reference/cpu-burner.js';
import { formatHostPort } from '../../servers/host-port.js';
import type { ServerProtocol } from '../../servers/server-protocols.js';
import { type ThrowawayFiles, throwawayServerTls } from '../../servers/tls/tls-material.js';
import { type TuningName, tuningSettings } from '../../servers/tuning.js';
import { balanceProblems } from '../accounting/request-counts.js';
import { BrowserSession } from '../browser/browser-session.js';
import { chromiumMissing } from '../browser/chromium.js';
import { partsTotal } from '../drivers/byte-breakdown.js';
import { ClientDriver } from '../drivers/client-drivers.js';
import { type BenchRpc, buildRequestPayload, type RequestPayload } from '../drivers/request-payloads.js';
import { FaultedRun } from '../faults/faulted-run.js';
import { runClosedLoop } from '../load/closed-loop.js';
import type { LoadResult } from '../load/load-result.js';
import { runOpenLoop } from '../load/open-loop.js';
import { RunNetworks } from '../network/run-networks.js';
import { assembleResults } from '../results/assemble-results.js';
import type { EndReason, Repetition, Results, ScenarioResult } from '../results/results-types.js';
import { summarizeScenario } from '../results/summarize-scenario.js';
import { clipChoiceOf } from '../scenarios/payload-clips.js';
import type { Scenario, SttName, Suite, Variant } from '../scenarios/suite.js';
import { variantInfo } from '../scenarios/variants.js';
import { repetitionOrder } from '../stats/repetition-order.js';
import { runStreamingScenario } from '../streaming/index.js';
import { browserRepetition } from './browser-repetition.js';
import { driverFor, serverProtocolOf } from './driver-for-variant.js';
import { DriverMonitor } from './driver-monitor.js';
import { captureEnvironment } from './environment.js';
import { connectExternalServers, pickExternalServer } from './external-servers.js';
import { describeSteadiness, measureMachineSteadiness, unsteadyMachineSpread } from './machine-steadiness.js';
import { ProgressProbe, type ProgressSnapshot } from './progress-probe.js';
import type { RunServer } from './run-server.js';
import { formatServerList, type ServerList } from './server-list.js';
import { serverNodeFlags, type YoungGeneration } from './server-node-flags.js';
import { ServerProcess } from './server-process.js';
import { type ServerWarmup, serverWarmupRule, warmServerRule, warmUpServer } from './server-warmup.js';
import { streamingClipAudio, streamingRepetition } from './streaming-repetition.js';

export interface RunOptions {
  readonly suite: Suite;
  readonly host: string;
  /** Server on CPU 0, driver on CPU 1 (Linux, taskset). */
  readonly pin: boolean;
  readonly signal: AbortSignal;
  /** Milliseconds added to every unary call by the servers (tests of the regression gate). */
  readonly injectedServerDelayMs?: number;
  /** µs of CPU burned in every unary call by one protocol's server (tests of compare's gate). */
  readonly injectedServerCpu?: { readonly protocol: ServerProtocol; readonly us: number };
  /** Drive these already-running servers instead of starting any; variants without one are skipped. */
  readonly servers?: ServerList;
  /** The V8 young generation of the servers the run starts (server-node-flags.ts); fixed when absent. */
  readonly youngGeneration?: YoungGeneration;
}

/** What a run tells its listeners (progress on stderr, say). */
export interface RunEvents {
  servers: [{ protocol: string; pid?: number; host: string; port: number; engine: string }[]];
  repetitionStart: [{ scenario: Scenario; variant: Variant; repetition: number; payload: string }];
  /** With what a checkpoint needs to summarize the repetitions so far (see checkpoint-recorder.ts). */
  repetitionEnd: [
    { scenario: Scenario; variant: Variant; repetition: Repetition; driver: string; engine: string },
  ];
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
  /** Keyed by `serverKey`: one server (process tree) per protocol, speech engine, TLS and worker count. */
  private readonly servers = new Map<string, RunServer>();
  /** Why a (protocol, engine) has no server: --servers lists none that fits. */
  private readonly skipped = new Map<string, string>();
  private readonly warnings: string[] = [];
  /** One throwaway CA and server certificate for the run, when a scenario runs over TLS. */
  private tls: { files: ThrowawayFiles; client: ClientTls } | undefined;
  /** Emulated paths between driver and servers, each checked once per run (bench/network). */
  private readonly networks = new RunNetworks();
  /** Headless Chromium, launched at the first browser-family scenario. */
  private browser: Promise<BrowserSession> | undefined;
  /** Each server warmed once per variant and payload (server-warmup.ts): what its warm-up saw. */
  private readonly warmed = new Map<RunServer, Map<string, ServerWarmup>>();

  constructor(private readonly options: RunOptions) {
    super();
  }

  async run(): Promise<Results> {
    const startedAt = new Date().toISOString();
    // Before any server starts, so that nothing of the run's own is measured.
    const steadiness = measureMachineSteadiness();
    const environment = { ...captureEnvironment(), steadiness };
    const scenarios: ScenarioResult[] = [];
    let endReason: EndReason = 'completed';
    try {
      if (steadiness.memoryBound > unsteadyMachineSpread) {
        this.warn(
          `this machine is unsteady: ${describeSteadiness(steadiness)}; repetitions will vary as much, and differences between variants under a few times that will end undecided (docs/verdicts.md)`,
        );
      }
      if (this.options.injectedServerDelayMs) {
        this.warn(
          `servers delay every unary call by ${this.options.injectedServerDelayMs} ms on purpose (--inject-server-delay)`,
        );
      }
      if (this.options.injectedServerCpu) {
        const { protocol, us } = this.options.injectedServerCpu;
        this.warn(
          `the ${protocol} server burns ${us} µs of CPU in every unary call on purpose (--inject-server-cpu)`,
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
      await (await this.browser?.catch(() => undefined))?.close();
      await Promise.all([...this.servers.values()].map((server) => server.stop()));
      if (this.tls) rmSync(this.tls.files.dir, { recursive: true, force: true });
    }
    for (const scenario of scenarios) {
      for (const problem of balanceProblems(scenario.counts))
        this.warn(`${scenario.scenario}/${scenario.variant}: ${problem}`);
    }
    return assembleResults({
      environment,
      suite: this.options.suite,
      pinned: this.options.pin,
      serverNodeFlags: this.serverNodeFlags(),
      startedAt,
      endReason,
      scenarios,
      warnings: this.warnings,
    });
  }

  /** Node flags of the servers this run starts; none known for --servers. */
  private serverNodeFlags(): readonly string[] | undefined {
    return this.options.servers ? undefined : serverNodeFlags(this.options.youngGeneration ?? 'fixed');
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
    const needed = new Map<string, ServerNeed>();
    for (const scenario of this.options.suite.scenarios) {
      for (const variant of scenario.variants) {
        const protocol = serverProtocolOf(variant);
        const need = {
          protocol,
          stt: scenario.stt,
          tls: scenario.tls,
          workers: scenario.workers,
          tuning: scenario.tuning,
        };
        needed.set(serverKey(need), need);
      }
    }
    if (this.options.servers) await this.useExternalServers(this.options.servers, needed);
    else await this.startLocalServers(needed);
    this.emit(
      'servers',
      // One line per server, under the first key it serves.
      [...new Map([...this.servers].reverse().map(([key, server]) => [server, key]))]
        .reverse()
        .map(([server, key]) => ({
          protocol: key,
          ...(server.pid === undefined ? {} : { pid: server.pid }),
          host: server.host,
          port: server.port,
          engine: server.engine,
        })),
    );
  }

  private async startLocalServers(needed: ReadonlyMap<string, ServerNeed>): Promise<void> {
    if ([...needed.values()].some((server) => server.tls)) {
      const { tls, files } = throwawayServerTls(false);
      this.tls = { files, client: { ca: tls.ca } };
    }
    const tlsFiles = this.tls && {
      cert: this.tls.files.serverCert,
      key: this.tls.files.serverKey,
      ca: this.tls.files.ca,
    };
    // One calibration for all: each server calibrating on its own, on a busy machine, would burn
    // a different amount of CPU per audio second, and the comparisons would compare that.
    const burnRate =
      this.options.suite.realTimeFactor > 0 ? CpuBurner.calibrate(5).iterationsPerSecondRate : undefined;
    // Started together: each loads the embeddings (and sphinx its model) on its own.
    const started = await Promise.allSettled(
      [...needed].map(async ([key, { protocol, stt, tls, workers, tuning }]) => {
        const server = await ServerProcess.start({
          protocol,
          tuning,
          host: this.options.host,
          stt,
          workers,
          ...(burnRate === undefined ? {} : { burnRate }),
          realTimeFactor: this.options.suite.realTimeFactor,
          classifier: this.options.suite.classifier,
          ...(this.options.suite.engineThreads === undefined
            ? {}
            : { engineThreads: this.options.suite.engineThreads }),
          injectedDelayMs: this.options.injectedServerDelayMs ?? 0,
          injectedCpuUs:
            this.options.injectedServerCpu?.protocol === protocol ? this.options.injectedServerCpu.us : 0,
          nodeFlags: this.serverNodeFlags(),
          ...(this.options.pin ? { cpus: '0' } : {}),
          ...(tls && tlsFiles ? { tls: tlsFiles } : {}),
        });
        this.servers.set(key, server);
      }),
    );
    const failure = started.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** Each (protocol, engine) the suite needs, from the list: the server running that engine, or a reason to skip. */
  private async useExternalServers(list: ServerList, needed: ReadonlyMap<string, ServerNeed>): Promise<void> {
    this.warn(
      `external servers ${formatServerList(list)}: server CPU and memory are not measured (0 in the results)`,
    );
    const external = await connectExternalServers(list);
    for (const [key, { protocol, stt, tls, workers, tuning }] of needed) {
      if (tls || workers > 1 || tuning !== 'default') {
        const why = tls ? 'over TLS' : workers > 1 ? 'with workers' : 'with tuning tuned';
        this.skipped.set(key, `scenarios ${why} need servers the run starts itself (not --servers)`);
        continue;
      }
      const picked = pickExternalServer(external, protocol, stt);
      if ('skipped' in picked) this.skipped.set(key, picked.skipped);
      else this.servers.set(key, picked);
      // Classify never touches the speech engine: any server of the protocol measures it.
      const any = external.find((s) => s.protocol === protocol);
      if (any)
        this.servers.set(
          serverKey({ protocol, stt: 'any', tls: false, workers: 1, tuning: 'default' }),
          any.server,
        );
    }
  }

  private serverFor(scenario: Scenario, variant: Variant): RunServer | undefined {
    const need = {
      protocol: serverProtocolOf(variant),
      stt: scenario.stt,
      tls: scenario.tls,
      workers: scenario.workers,
      tuning: scenario.tuning,
    };
    return (
      this.servers.get(serverKey(need)) ??
      (scenario.rpc === 'classify' ? this.servers.get(serverKey({ ...need, stt: 'any' })) : undefined)
    );
  }

  /** The scenario restricted to the variants that have a server (all, unless --servers left some out). */
  private runnable(scenario: Scenario): Scenario {
    const missing = scenario.variants.filter((variant) => !this.serverFor(scenario, variant));
    for (const variant of missing)
      this.warn(
        `${scenario.name}/${variant} skipped: ${this.skipped.get(serverKey({ protocol: serverProtocolOf(variant), stt: scenario.stt, tls: scenario.tls, workers: scenario.workers, tuning: scenario.tuning }))}`,
      );
    if (missing.length === 0) return scenario;
    return { ...scenario, variants: scenario.variants.filter((variant) => !missing.includes(variant)) };
  }

  private async runScenario(asked: Scenario): Promise<ScenarioResult[]> {
    const scenario = this.runnable(asked);
    const noBrowser = scenario.family !== 'browser' ? undefined : browserUnavailable(scenario);
    if (noBrowser) {
      this.warn(`${scenario.name} skipped (family browser): ${noBrowser}`);
      return [];
    }
    for (const warning of await this.networks.check([scenario.network])) this.warn(warning);
    const payload = scenario.rpc === 'streaming-transcribe' ? undefined : payloadOf(scenario, scenario.rpc);
    const inFlightPerConnection = inFlightPerConnectionOf(scenario);
    const repetitions = new Map<Variant, Repetition[]>(scenario.variants.map((v) => [v, []]));
    const drivers = new Map<Variant, string>();
    const warmups = new Map<Variant, ServerWarmup>();
    const order = repetitionOrder(scenario.variants, scenario.repetitions);
    for (const [position, { variant, repetition }] of order.entries()) {
      if (this.options.signal.aborted) break;
      const orderPosition = position % scenario.variants.length;
      if (repetition === 0 && payload && this.warmsUp(scenario, variant)) {
        const warmup = await this.warmUpOnce(scenario, variant, payload, inFlightPerConnection);
        if (warmup) warmups.set(variant, warmup);
      }
      this.emit('repetitionStart', {
        scenario,
        variant,
        repetition,
        payload: payload?.description ?? `streaming ${scenario.payload}`,
      });
      const result = !payload
        ? await this.runStreamingOnce(scenario, variant, repetition, orderPosition)
        : scenario.family === 'browser'
          ? await this.runBrowserOnce(scenario, variant, payload, repetition, orderPosition)
          : await this.runOnce(scenario, variant, payload, inFlightPerConnection, repetition, orderPosition);
      drivers.set(variant, result.driver);
      repetitions.get(variant)!.push(result.repetition);
      this.emit('repetitionEnd', {
        scenario,
        variant,
        repetition: result.repetition,
        driver: result.driver,
        engine: this.serverFor(scenario, variant)!.engine,
      });
    }
    return scenario.variants
      .filter((variant) => repetitions.get(variant)!.length > 0)
      .map((variant) => ({
        ...summarizeScenario(scenario, {
          variant,
          driver: drivers.get(variant)!,
          engine: this.serverFor(scenario, variant)!.engine,
          inFlightPerConnection,
          repetitions: repetitions.get(variant)!,
        }),
        ...(scenario.size === undefined ? {} : { size: scenario.size, sizeOf: scenario.sizeOf! }),
        ...(warmups.has(variant) ? { serverWarmup: warmups.get(variant)! } : {}),
        network: this.networks.record(scenario.network),
        tuning: { name: scenario.tuning, settings: tuningSettings(scenario.tuning) },
      }));
  }

  /**
   * Whether a server warm-up can help: not in a browser (its page sets the pace), and not where a
   * call waits on the native recognizer (compiled C, nothing for the JIT to warm; each call takes
   * most of a second, so a step would hold no answer).
   */
  private warmsUp(scenario: Scenario, variant: Variant): boolean {
    const native = scenario.rpc !== 'classify' && this.serverFor(scenario, variant)!.engine !== 'reference';
    return scenario.family !== 'browser' && !native;
  }

  /**
   * Drives the variant's server, directly (no proxy, no faults), until its throughput stops rising,
   * the first time this server serves this variant and payload in the run; later scenarios with
   * the same ones find it warm and get no warm-up of their own.
   */
  private async warmUpOnce(
    scenario: Scenario,
    variant: Variant,
    payload: RequestPayload,
    inFlightPerConnection: number,
  ): Promise<ServerWarmup | undefined> {
    const server = this.serverFor(scenario, variant)!;
    const key = `${variant} ${scenario.family} ${payload.description}`;
    const byServer = this.warmed.get(server) ?? new Map<string, ServerWarmup>();
    this.warmed.set(server, byServer);
    if (byServer.has(key)) return undefined;
    const driver = driverFor(variant, scenario.family, {
      host: server.host,
      port: server.port,
      tuning: scenario.tuning,
      payload,
      timeoutMs: scenario.timeoutMs,
      ...(scenario.tls && this.tls ? { tls: this.tls.client } : {}),
    });
    // A step no longer than the scenario's window: its rate is as precise as a repetition's, and a
    // smoke suite of 0.2 s windows does not spend seconds warming.
    const fresh = byServer.size === 0 ? serverWarmupRule : warmServerRule;
    const rule = { ...fresh, stepMs: Math.min(fresh.stepMs, scenario.durationMs) };
    try {
      const connections = await driver.connect({ connections: scenario.connections, inFlightPerConnection });
      const warmup = await warmUpServer(
        async () => {
          const result = await runClosedLoop(connections, {
            inFlightPerConnection,
            warmupMs: 0,
            durationMs: rule.stepMs,
            signal: this.options.signal,
          });
          return { rps: result.throughput, counts: result.counts };
        },
        rule,
        this.options.signal,
      );
      byServer.set(key, warmup);
      for (const problem of balanceProblems(warmup.counts))
        this.warn(`${scenario.name}/${variant}: server warm-up ${problem}`);
      return warmup;
    } finally {
      await driver.close();
    }
  }

  private async runOnce(
    scenario: Scenario,
    variant: Variant,
    payload: RequestPayload,
    inFlightPerConnection: number,
    index: number,
    orderPosition: number,
  ): Promise<{ driver: string; repetition: Repetition }> {
    const server = this.serverFor(scenario, variant)!;
    // With faults, the driver goes through a proxy (bench/faults) that applies them on schedule;
    // with a network, through one that emulates the path (both: one proxy, faults before the path).
    const faulted = scenario.faults
      ? await FaultedRun.start(
          scenario.faults,
          server.host,
          server.port,
          this.networks.proxyOptions(scenario.network),
        )
      : undefined;
    const path = faulted
      ? undefined
      : await this.networks.proxyFor(scenario.network, server.host, server.port);
    const proxied = faulted ?? path;
    const driver = driverFor(variant, scenario.family, {
      host: proxied ? this.options.host : server.host,
      port: proxied?.port ?? server.port,
      tuning: scenario.tuning,
      payload,
      timeoutMs: scenario.timeoutMs,
      ...(scenario.tls && this.tls ? { tls: this.tls.client } : {}),
      ...(scenario.resilience ? { resilience: scenario.resilience } : {}),
    });
    try {
      const probe = new ProgressProbe();
      const opened = probe.wrap(
        await driver.connect({ connections: scenario.connections, inFlightPerConnection }),
      );
      const connections = faulted ? faulted.begin(opened) : opened;
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
      const faults = await faulted?.finish();
      for (const problem of faults?.problems ?? [])
        this.warn(`${scenario.name}/${variant}: fault ${problem}`);
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
          ...(scenario.tls && result.bytesBreakdown ? { tls: tlsBytes(result) } : {}),
        },
        resources: {
          serverCpuUsPerRequest:
            before && after && answeredInSample > 0 ? (after.cpuUs - before.cpuUs) / answeredInSample : 0,
          serverPeakRssBytes: after?.peakRssBytes ?? 0,
          driverCpu: driverLoad.cpu,
          driverEventLoopP99Ms: driverLoad.eventLoopP99Ms,
          driverSaturated: driverLoad.saturated,
          driverWindowMs: driverLoad.windowMs,
        },
        ...(faults ? { faults } : {}),
        // Client family: calls and their attempts, retries apart from requests (warm-up and connect included).
        ...(driver instanceof ClientDriver ? { attempts: driver.attempts } : {}),
      };
      return { driver: driver.name, repetition };
    } finally {
      await driver.close();
      await faulted?.close();
      await path?.close();
    }
  }

  private async runBrowserOnce(
    scenario: Scenario,
    variant: Variant,
    payload: RequestPayload,
    index: number,
    orderPosition: number,
  ): Promise<{ driver: string; repetition: Repetition }> {
    // The page may reach the run's servers and nothing else.
    this.browser ??= BrowserSession.launch(
      [...this.servers.values()].map((server) => `http://${formatHostPort(server.host, server.port)}`),
    );
    const session = await this.browser;
    const server = this.serverFor(scenario, variant)!;
    const { repetition, problem } = await browserRepetition(session, {
      scenario,
      variant,
      payload,
      server,
      index,
      orderPosition,
      signal: this.options.signal,
    });
    if (problem) this.warn(`${scenario.name}/${variant}: the page's answer is wrong: ${problem}`);
    return { driver: `chromium-${pageDriverOf(variant)}`, repetition };
  }

  private async runStreamingOnce(
    scenario: Scenario,
    variant: Variant,
    index: number,
    orderPosition: number,
  ): Promise<{ driver: string; repetition: Repetition }> {
    const server = this.serverFor(scenario, variant)!;
    const path = await this.networks.proxyFor(scenario.network, server.host, server.port);
    const before = server.sample();
    const monitor = new DriverMonitor();
    const result = await runStreamingScenario({
      protocol: variant === 'rest-binary-h1' ? 'rest' : 'grpc',
      host: path ? this.options.host : server.host,
      port: path?.port ?? server.port,
      ...(scenario.tls && this.tls ? { tls: this.tls.client } : {}),
      audio: streamingClipAudio(scenario.payload),
      pace: scenario.streaming!.pace,
      streams: scenario.streaming!.streams,
      concurrency: Math.min(scenario.concurrency, scenario.streaming!.streams),
      timeoutMs: scenario.timeoutMs,
      signal: this.options.signal,
    }).finally(() => path?.close());
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
}

/** The scenario's requests in flight, spread over its connections. */
export function inFlightPerConnectionOf(scenario: Scenario): number {
  return Math.ceil(scenario.concurrency / scenario.connections);
}

/** Over TLS the driver counts wire bytes and plaintext parts: the difference is TLS's. */
function tlsBytes(result: LoadResult): { written: number; read: number } {
  const parts = result.bytesBreakdown!;
  return {
    written: result.bytesWritten - partsTotal(parts.written),
    read: result.bytesRead - partsTotal(parts.read),
  };
}

/** What one server of a run is: its protocol, engine, TLS and worker count. */
interface ServerNeed {
  readonly protocol: ServerProtocol;
  readonly stt: SttName;
  readonly tls: boolean;
  readonly workers: number;
  readonly tuning: TuningName;
}

/** `any`: classify, which never touches the speech engine, runs on any engine's server. */
function serverKey({
  protocol,
  stt,
  tls,
  workers,
  tuning,
}: Omit<ServerNeed, 'stt'> & { stt: SttName | 'any' }): string {
  return `${protocol}/${stt}${tls ? '/tls' : ''}${workers === 1 ? '' : `/w${workers}`}${tuning === 'default' ? '' : `/${tuning}`}`;
}

function payloadOf(scenario: Scenario, rpc: BenchRpc): RequestPayload {
  return buildRequestPayload({
    rpc,
    ...clipChoiceOf(scenario.payload),
    ...(scenario.size === undefined ? {} : { size: scenario.size }),
  });
}

/** Why a browser scenario cannot run here: no Chromium, or a path the page would not take. */
function browserUnavailable(scenario: Scenario): string | undefined {
  if (scenario.network.path)
    return `the page reaches the servers directly, not through the emulated ${scenario.network.name} path (browser scenarios run on loopback)`;
  return chromiumMissing();
}

/** How the page calls a variant: fetch (REST) or connect-web with one of its transports. */
function pageDriverOf(variant: Variant): string {
  const web = variantInfo[variant].web;
  return web === undefined ? 'fetch' : web === 'grpc-web' ? 'connect-web-grpc-web' : 'connect-web';
}
