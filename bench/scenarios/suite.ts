import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { type ResilienceOptions, resilienceProblems } from '../../clients/resilience.js';
import type { StatusCodeName } from '../../servers/core/status-codes.js';
import type { ClassifierChoice } from '../../servers/engines/classify/classifier-choices.js';
import type { TuningName } from '../../servers/tuning.js';
import { isAudioSize, type PayloadSize } from '../corpus/sized-payloads.js';
import type { ScheduledFault } from '../faults/fault-spec.js';
import { faultProblems, parseFaults, type RawFault } from '../faults/parse-faults.js';
import type { NetworkProfile } from '../network/network-profile.js';
import { networkProblems, parseNetwork, type RawNetwork } from '../network/parse-network.js';
import { parseDurationMs } from './duration.js';
import {
  type familyNames,
  type payloadNames,
  type rpcNames,
  suiteSchema,
  type variantNames,
} from './suite-schema.js';
import { defaultVariants, streamingVariants, variantInfo } from './variants.js';

export type Variant = (typeof variantNames)[number];
export type Rpc = (typeof rpcNames)[number];
export type Payload = (typeof payloadNames)[number];
export type Family = (typeof familyNames)[number];

export type LoadModel =
  | { readonly model: 'closed' }
  | { readonly model: 'open'; readonly rate: number; readonly maxLateMs: number };

/** A scenario with every default filled in: what one entry of results.json describes. */
export interface Scenario {
  readonly name: string;
  readonly rpc: Rpc;
  readonly payload: Payload;
  readonly variants: readonly Variant[];
  readonly family: Family;
  readonly load: LoadModel;
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly repetitions: number;
  readonly connections: number;
  /** Requests in flight over all connections. */
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** The speech engine of the servers this scenario runs against. */
  readonly stt: SttName;
  /** Over TLS (h2 by ALPN for the HTTP/2 variants). */
  readonly tls: boolean;
  /** streaming-transcribe only. */
  readonly streaming?: { readonly pace: 'realtime' | 'asap'; readonly streams: number };
  /** Server processes per protocol sharing the port (`serve --workers`). */
  readonly workers: number;
  /** The suite's scenario name this one was expanded from by a `workers` list (a scaling series). */
  readonly scalingOf?: string;
  /** Faults on a schedule from the start of each repetition (warm-up included); the driver goes through a proxy. */
  readonly faults?: readonly ScheduledFault[];
  /** Client family: retries, keepalive and reconnect backoff of the client libraries. */
  readonly resilience?: ResilienceOptions;
  /** The path between driver and servers: loopback (no proxy) or an emulated one (bench/network). */
  readonly network: NetworkProfile;
  /** The servers' (and client libraries') tuning (servers/tuning.ts). */
  readonly tuning: TuningName;
  /** A sweep's size: this scenario's payload is audio of that length or a text of that size. */
  readonly size?: PayloadSize;
  /** The suite's scenario name this one was expanded from by a `sizes` list (a sweep). */
  readonly sizeOf?: string;
}

export type SttName = 'auto' | 'sphinx' | 'reference';

export interface Suite {
  readonly name: string;
  readonly description: string;
  readonly stt: SttName;
  readonly realTimeFactor: number;
  /**
   * Each server process's libuv pool size (UV_THREADPOOL_SIZE), where both speech engines
   * do their work; undefined = Node's default (4). One thread per worker makes a worker
   * one core's worth of engine, as a Python worker under its GIL is.
   */
  readonly engineThreads?: number;
  /** Every server's zero-shot classifier. */
  readonly classifier: ClassifierChoice;
  readonly scenarios: readonly Scenario[];
  /** Threshold expressions, checked after the run (see reports/thresholds). */
  readonly thresholds: readonly string[];
}

export class SuiteError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SuiteError';
  }
}

const builtInDir = fileURLToPath(new URL('./suites/', import.meta.url));
export const builtInSuites = ['quick', 'full', 'scaling', 'web', 'decision'] as const;

const validate = new Ajv({ allErrors: true, strict: true }).compile(suiteSchema);

function describeError(error: ErrorObject): string {
  const where = error.instancePath || '(top level)';
  if (error.keyword === 'additionalProperties') {
    return `${where}: unknown key "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  }
  if (error.keyword === 'enum') {
    return `${where}: must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  }
  return `${where}: ${error.message ?? error.keyword}`;
}

type RawSettings = {
  warmup?: string | number;
  duration?: string | number;
  timeout?: string | number;
} & Partial<Pick<Scenario, 'repetitions' | 'connections' | 'concurrency'>>;
type RawScenario = RawSettings & {
  name: string;
  rpc: Rpc;
  payload?: Payload;
  variants?: Variant[];
  family?: Family;
  load?: { model: 'closed' } | { model: 'open'; rate: number; maxLate?: string | number };
  stt?: SttName;
  pace?: 'realtime' | 'asap';
  streams?: number;
  workers?: number[];
  tls?: boolean | 'both';
  faults?: RawFault[];
  resilience?: RawResilience;
  network?: RawNetwork;
  tuning?: TuningName | 'both';
  sizes?: PayloadSize[];
  /** Set by the expansion of `sizes`, not by suite files. */
  size?: PayloadSize;
  sizeOf?: string;
};
type RawDuration = string | number;
type RawResilience = {
  retry?: {
    maxAttempts: number;
    initialBackoff?: RawDuration;
    maxBackoff?: RawDuration;
    backoffMultiplier?: number;
    retryableCodes?: StatusCodeName[];
  };
  keepalive?: { interval: RawDuration; timeout?: RawDuration };
  reconnect?: { initialBackoff?: RawDuration; maxBackoff?: RawDuration };
};

/** Suite spelling to client options, with gRPC's usual defaults for what is left out. */
function resilienceOf(raw: RawResilience): ResilienceOptions {
  const ms = (value: RawDuration | undefined, fallback: string) => parseDurationMs(value ?? fallback)!;
  const { retry, keepalive, reconnect } = raw;
  return {
    ...(retry
      ? {
          retry: {
            maxAttempts: retry.maxAttempts,
            initialBackoffMs: ms(retry.initialBackoff, '100ms'),
            maxBackoffMs: ms(retry.maxBackoff, '1s'),
            backoffMultiplier: retry.backoffMultiplier ?? 2,
            retryableCodes: retry.retryableCodes ?? ['UNAVAILABLE'],
          },
        }
      : {}),
    ...(keepalive
      ? { keepalive: { intervalMs: ms(keepalive.interval, '10s'), timeoutMs: ms(keepalive.timeout, '5s') } }
      : {}),
    ...(reconnect
      ? {
          reconnect: {
            initialBackoffMs: ms(reconnect.initialBackoff, '100ms'),
            maxBackoffMs: ms(reconnect.maxBackoff, '1s'),
          },
        }
      : {}),
  };
}
type RawSuite = {
  name: string;
  description?: string;
  stt?: Suite['stt'];
  realTimeFactor?: number;
  engineThreads?: number;
  classifier?: ClassifierChoice;
  network?: RawNetwork;
  tuning?: TuningName | 'both';
  defaults?: RawSettings;
  thresholds?: string[];
  scenarios: RawScenario[];
};

const fallback = {
  warmup: '1s',
  duration: '5s',
  repetitions: 3,
  connections: 2,
  concurrency: 16,
  timeout: '10s',
};

function resolve(raw: RawSuite, overrides: SuiteOverrides): Suite {
  const defaults = { ...fallback, ...raw.defaults };
  return {
    name: raw.name,
    description: raw.description ?? '',
    stt: raw.stt ?? 'reference',
    realTimeFactor: raw.realTimeFactor ?? 0,
    ...(raw.engineThreads === undefined ? {} : { engineThreads: raw.engineThreads }),
    classifier: raw.classifier ?? 'words',
    thresholds: raw.thresholds ?? [],
    scenarios: expanded(raw, overrides).map(({ scenario, workers, scalingOf }) => {
      const merged = { ...defaults, ...scenario };
      // At least one connection per worker: round-robin deals connections, not requests.
      const connections = Math.max(overrides.connections ?? merged.connections, workers);
      const load = scenario.load ?? { model: 'closed' as const };
      return {
        name: scenario.name,
        workers,
        ...(scalingOf === undefined ? {} : { scalingOf }),
        rpc: scenario.rpc,
        payload: scenario.payload ?? (scenario.rpc === 'classify' ? 'command' : 'short3s'),
        variants: scenario.variants ?? defaultVariants(scenario.rpc, familyOf(scenario)),
        family: familyOf(scenario),
        stt: scenario.stt ?? raw.stt ?? 'reference',
        tls: scenario.tls === true,
        ...(scenario.faults?.length ? { faults: parseFaults(scenario.faults) } : {}),
        ...(scenario.resilience ? { resilience: resilienceOf(scenario.resilience) } : {}),
        network: networkOf(scenario.network ?? raw.network, overrides),
        tuning: scenario.tuning === 'tuned' ? 'tuned' : 'default',
        ...(scenario.size === undefined ? {} : { size: scenario.size, sizeOf: scenario.sizeOf! }),
        ...(scenario.rpc === 'streaming-transcribe'
          ? { streaming: { pace: scenario.pace ?? 'realtime', streams: scenario.streams ?? 4 } }
          : {}),
        load:
          load.model === 'open'
            ? {
                model: 'open',
                rate: overrides.rate ?? load.rate,
                maxLateMs: parseDurationMs(load.maxLate ?? '1s')!,
              }
            : load,
        warmupMs: parseDurationMs(merged.warmup)!,
        durationMs: overrides.durationMs ?? parseDurationMs(merged.duration)!,
        repetitions: overrides.repetitions ?? merged.repetitions,
        connections,
        concurrency: Math.max(overrides.concurrency ?? merged.concurrency, connections),
        timeoutMs: parseDurationMs(merged.timeout)!,
      };
    }),
  };
}

/** A scenario with a `workers` list becomes one scenario per count, named NAME-w1, NAME-w2... */
function expandWorkers(
  scenario: RawScenario,
): { scenario: RawScenario; workers: number; scalingOf?: string }[] {
  if (scenario.workers === undefined) return [{ scenario, workers: 1 }];
  return scenario.workers.map((workers) => ({
    scenario: { ...scenario, name: `${scenario.name}-w${workers}` },
    workers,
    scalingOf: scenario.name,
  }));
}

/** Command-line settings that override every scenario's own. */
export interface SuiteOverrides {
  readonly durationMs?: number;
  readonly connections?: number;
  readonly concurrency?: number;
  readonly rate?: number;
  readonly repetitions?: number;
  /** `run --tls`: every scenario over TLS (a scenario with `tls: both` still runs both). */
  readonly tls?: boolean;
  /** `run --network NAME`: every scenario over this network. */
  readonly network?: NetworkProfile;
  /** `run --congestion-window on|off`: the model switched on every emulated path. */
  readonly congestionWindow?: boolean;
  /** `run --tuning`: every scenario with this tuning (`both`: each twice). */
  readonly tuning?: TuningName | 'both';
}

/** The scenario's network: the command line's, else its own, else the suite's, else loopback. */
function networkOf(raw: RawNetwork | undefined, overrides: SuiteOverrides): NetworkProfile {
  const network = overrides.network ?? parseNetwork(raw ?? 'loopback');
  if (!network.path || overrides.congestionWindow === undefined) return network;
  return { ...network, path: { ...network.path, congestionWindow: overrides.congestionWindow } };
}

/** `tuning: both` (the scenario's, else the suite's, else `run --tuning`'s) becomes NAME and NAME-tuned. */
function withTuningExpanded(
  scenarios: readonly RawScenario[],
  suiteTuning: TuningName | 'both' | undefined,
  forced: TuningName | 'both' | undefined,
): RawScenario[] {
  return scenarios.flatMap((scenario) => {
    const tuning = forced ?? scenario.tuning ?? suiteTuning ?? 'default';
    if (tuning !== 'both') return [{ ...scenario, tuning }];
    return [
      { ...scenario, tuning: 'default' as const },
      { ...scenario, name: `${scenario.name}-tuned`, tuning: 'tuned' as const },
    ];
  });
}

/** `tls: both` becomes NAME (plaintext) and NAME-tls; `run --tls` turns TLS on for the rest. */
function withTlsExpanded(scenarios: readonly RawScenario[], forced: boolean | undefined): RawScenario[] {
  return scenarios.flatMap((scenario) => {
    if (scenario.tls === 'both')
      return [
        { ...scenario, tls: false },
        { ...scenario, name: `${scenario.name}-tls`, tls: true },
      ];
    return [forced ? { ...scenario, tls: true } : scenario];
  });
}

/** A `sizes` list becomes one scenario per size, NAME-SIZE (NAME-0.5s, NAME-4KB...). */
function withSizesExpanded(scenarios: readonly RawScenario[]): RawScenario[] {
  return scenarios.flatMap((scenario) =>
    scenario.sizes === undefined
      ? [scenario]
      : scenario.sizes.map((size) => ({
          ...scenario,
          name: `${scenario.name}-${size}`,
          size,
          sizeOf: scenario.name,
        })),
  );
}

/** The scenarios a suite's entries stand for: TLS pairs first, then tunings, then sizes, then worker counts. */
function expanded(raw: RawSuite, overrides: SuiteOverrides) {
  return withSizesExpanded(
    withTuningExpanded(withTlsExpanded(raw.scenarios, overrides.tls), raw.tuning, overrides.tuning),
  ).flatMap(expandWorkers);
}

/** Checks a parsed suite document, reporting every problem at once. */
export function parseSuite(document: unknown, source: string, overrides: SuiteOverrides = {}): Suite {
  if (!validate(document)) throw new SuiteError(source, (validate.errors ?? []).map(describeError));
  const raw = document as RawSuite;
  const names = expanded(raw, {}).map(({ scenario }) => scenario.name);
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  const problems: string[] = [];
  if (raw.network !== undefined) problems.push(...networkProblems('network', raw.network));
  if (repeated.length > 0) problems.push(`scenario names repeat: ${[...new Set(repeated)].join(', ')}`);
  for (const scenario of raw.scenarios) problems.push(...scenarioProblems(scenario));
  if (problems.length > 0) throw new SuiteError(source, problems);
  return resolve(raw, overrides);
}

/** Loads `quick`, `full`, or a JSON/YAML file. */
export function loadSuite(nameOrFile: string, overrides: SuiteOverrides = {}): Suite {
  const file = (builtInSuites as readonly string[]).includes(nameOrFile)
    ? `${builtInDir}${nameOrFile}.yaml`
    : nameOrFile;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SuiteError(nameOrFile, [`cannot read the suite: ${(error as Error).message}`]);
  }
  let document: unknown;
  try {
    document = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new SuiteError(file, [
      `not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    ]);
  }
  return parseSuite(document, file, overrides);
}

/** Streaming is measured through the protocols' client libraries (bench/streaming). */
function familyOf(scenario: RawScenario): Family {
  return scenario.family ?? (scenario.rpc === 'streaming-transcribe' ? 'client' : 'transport');
}

function scenarioProblems(scenario: RawScenario): string[] {
  const problems: string[] = [];
  const name = scenario.name;
  const variants = scenario.variants ?? [];
  if (scenario.network !== undefined) problems.push(...networkProblems(`${name}.network`, scenario.network));
  problems.push(...sizeProblems(scenario));
  if (scenario.faults?.length) {
    problems.push(...faultProblems(name, scenario.faults));
    if (scenario.rpc === 'streaming-transcribe')
      problems.push(`${name}: faults are for unary scenarios (streaming runs through the client libraries)`);
  }
  if (scenario.resilience) {
    if (familyOf(scenario) !== 'client')
      problems.push(`${name}: resilience sets the client libraries' behaviour: it needs family client`);
    problems.push(
      ...resilienceProblems(resilienceOf(scenario.resilience)).map((problem) => `${name}: ${problem}`),
    );
  }
  if (scenario.rpc === 'streaming-transcribe') {
    const without = variants.filter((variant) => !streamingVariants.includes(variant));
    if (without.length > 0)
      problems.push(
        `${name}: streaming-transcribe runs on ${streamingVariants.join(', ')}, not ${without.join(', ')}`,
      );
    if (scenario.family === 'transport' || scenario.family === 'browser')
      problems.push(
        `${name}: streaming-transcribe is measured in family client${scenario.family === 'browser' ? ' (a browser cannot stream a request body over HTTP/1.1: docs/browser.md)' : ''}`,
      );
    if (scenario.load?.model === 'open')
      problems.push(`${name}: streaming-transcribe has no open-loop model`);
    return problems;
  }
  if (scenario.workers !== undefined && scenario.load?.model === 'open')
    problems.push(`${name}: workers lists measure throughput, which needs the closed loop`);
  if (scenario.pace !== undefined || scenario.streams !== undefined)
    problems.push(`${name}: pace and streams are for streaming-transcribe only`);
  if (scenario.family === 'browser') problems.push(...browserProblems(scenario));
  if (scenario.family === 'client') {
    const without = variants.filter((variant) => !variantInfo[variant].hasClient);
    if (without.length > 0)
      problems.push(
        `${name}: family client has no client library for ${without.join(', ')} (use family transport)`,
      );
  }
  return problems;
}

/** The page runs its own closed loop over plain HTTP to the variants a page can call. */
function browserProblems(scenario: RawScenario): string[] {
  const name = scenario.name;
  const problems: string[] = [];
  const without = (scenario.variants ?? []).filter((variant) => !variantInfo[variant].browser);
  if (without.length > 0)
    problems.push(
      `${name}: a browser cannot call ${without.join(', ')} (family browser runs the browser-reachable variants)`,
    );
  if (scenario.load?.model === 'open') problems.push(`${name}: family browser runs the closed loop only`);
  if (scenario.faults?.length) problems.push(`${name}: family browser has no fault proxy`);
  if (scenario.tls) problems.push(`${name}: family browser runs over plain HTTP`);
  return problems;
}

/** Audio sizes for the audio RPCs, text sizes for classify, none for streaming. */
function sizeProblems(scenario: RawScenario): string[] {
  if (scenario.sizes === undefined) return [];
  const { name, rpc } = scenario;
  if (rpc === 'streaming-transcribe') return [`${name}: sizes are for unary scenarios`];
  const wrong = scenario.sizes.filter((size) => isAudioSize(size) === (rpc === 'classify'));
  if (wrong.length === 0) return [];
  return [
    `${name}: ${rpc} ${rpc === 'classify' ? 'takes text sizes' : 'takes audio sizes'}, not ${wrong.join(', ')}`,
  ];
}
