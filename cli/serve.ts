import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { loadReferenceClips } from '../bench/corpus/reference-clips.js';
import {
  type ConnectionLimits,
  connectionLimitProblems,
  defaultConnectionLimits,
} from '../servers/connection-limits.js';
import { defaultLimits } from '../servers/core/limits.js';
import { classifierChoices } from '../servers/engines/classify/classifier-choices.js';
import { sttChoices } from '../servers/engines/stt/select-stt.js';
import { formatHostPort } from '../servers/host-port.js';
import { ProcessHealthMonitor } from '../servers/process-health.js';
import { type ServerProtocol, serverProtocolInfo, serverProtocols } from '../servers/server-protocols.js';
import { type ServeSettings, type Serving, startServing } from '../servers/start-serving.js';
import type { ServerTls } from '../servers/tls/server-tls.js';
import type { ThrowawayFiles } from '../servers/tls/tls-material.js';
import { gateOptionSpecs, gateUsage, readGateOptions } from './gate-options.js';
import {
  addressOptions,
  choiceOption,
  integerOption,
  numberOption,
  parseOptions,
  readAddress,
} from './parse-options.js';
import { type ServingWorkers, serveAsWorker, startWorkers, workerTls } from './serve-workers.js';
import { readServeTls, serverTlsOf, serveTlsOptions, serveTlsUsage } from './tls-options.js';
import { UsageError } from './usage-error.js';

export const serveUsage = `grpc-rest-bench serve [options]
  --protocol LIST             servers to start, comma-separated from ${serverProtocols.join(', ')};
                              both = grpc,rest (default); all = every one
  --host HOST                 address to bind (default 127.0.0.1)
  --grpc-port N               gRPC port (default 50051; 0 picks a free one)
  --rest-port N               REST over HTTP/1.1 port (default 8080; 0 picks a free one)
  --rest-h2-port N            REST over HTTP/2 (h2c) port (default 8081; 0 picks a free one)
  --connect-port N            gRPC from connect-node port (default 50052; 0 picks a free one)
  --web-port N                Connect and gRPC-Web over HTTP/1.1 (protocol web, with CORS) port
                              (default 8082; 0 picks a free one)
  --stt auto|sphinx|reference speech engine (default auto: sphinx where installed)
  --classifier words|sentence zero-shot classifier (default words: word vectors, microseconds a call;
                              sentence: a sentence encoder beside them, more accurate, milliseconds a call)
  --rtf X                     CPU seconds per audio second for the reference engine (default 0)
  --burn-rate N               the reference engine's PBKDF2 iterations per CPU second (default: measured
                              at start; a benchmark run measures it once and gives every server the same)
  --decoders N                sphinx decoders in the pool (default: the libuv thread pool size)
  --max-audio-seconds S       (default ${defaultLimits.maxAudioSeconds})
  --max-text-chars N          (default ${defaultLimits.maxTextChars})
  --max-labels N              (default ${defaultLimits.maxLabels})
  --request-timeout-ms N      REST: the whole request must arrive within N ms, else 408 (default ${defaultConnectionLimits.requestTimeoutMs})
  --headers-timeout-ms N      REST over HTTP/1.1: the headers must arrive within N ms (default ${defaultConnectionLimits.headersTimeoutMs})
  --idle-timeout-ms N         close connections with no call in flight after N ms (default ${defaultConnectionLimits.idleTimeoutMs})
  --max-connection-age-ms N   gRPC servers: GOAWAY to connections older than N ms (default ${defaultConnectionLimits.maxConnectionAgeMs})
  --connection-age-grace-ms N gRPC servers: calls then get N ms to finish (default ${defaultConnectionLimits.connectionAgeGraceMs})
  --inject-delay-ms N         add N ms to every unary call (to test regression gates; never for real runs)
  --stop-with-parent          stop when stdin closes (the benchmark run starts its servers so);
                              a "health" line on stdin then gets a {"event":"health",...} line on stdout
                              (event-loop delay since the last one, RSS, heap); "health after gc"
                              runs a full garbage collection first (for leak checks); without workers only
  --workers N|auto            server processes sharing each port (node:cluster, connections dealt
                              round-robin); auto = one per CPU (default 1: no worker processes).
                              Each worker keeps its own rate limits and usage ledger, so --rate-limit
                              and --audio-quota need --workers 1
${serveTlsUsage}
${gateUsage}
When ready it prints one JSON line on stdout: {"event":"listening",...}; messages go to stderr.`;

/** The command line, checked (every problem at once), without starting anything. */
export function parseServeOptions(argv: readonly string[]) {
  const { values } = parseOptions(argv, {
    ...addressOptions,
    protocol: { type: 'string' },
    stt: { type: 'string' },
    classifier: { type: 'string' },
    rtf: { type: 'string' },
    decoders: { type: 'string' },
    'max-audio-seconds': { type: 'string' },
    'max-text-chars': { type: 'string' },
    'max-labels': { type: 'string' },
    'inject-delay-ms': { type: 'string' },
    ...connectionLimitOptions,
    'stop-with-parent': { type: 'boolean', default: false },
    workers: { type: 'string' },
    ...serveTlsOptions,
    ...gateOptionSpecs,
    'burn-rate': { type: 'string' },
  });
  const stopWithParent = values['stop-with-parent'];
  const problems: string[] = [];
  const address = readAddress(values, problems);
  const protocols = readProtocols(values.protocol, problems);
  const choice = choiceOption('stt', values.stt, sttChoices, 'auto', problems);
  const classifier = choiceOption('classifier', values.classifier, classifierChoices, 'words', problems);
  const realTimeFactor = numberOption('rtf', values.rtf, 0, 0, problems);
  const decoders =
    values.decoders === undefined
      ? undefined
      : integerOption('decoders', values.decoders, 1, { min: 1, max: 64 }, problems);
  const maxAudioSeconds = numberOption(
    'max-audio-seconds',
    values['max-audio-seconds'],
    defaultLimits.maxAudioSeconds,
    0.1,
    problems,
  );
  const limits = {
    ...defaultLimits,
    maxAudioSeconds,
    maxAudioBytes: Math.ceil(maxAudioSeconds * 16_000 * 2) + 44,
    maxTextChars: integerOption(
      'max-text-chars',
      values['max-text-chars'],
      defaultLimits.maxTextChars,
      { min: 1, max: 1_000_000 },
      problems,
    ),
    maxLabels: integerOption(
      'max-labels',
      values['max-labels'],
      defaultLimits.maxLabels,
      { min: 1, max: 10_000 },
      problems,
    ),
  };
  const injectedDelayMs = numberOption('inject-delay-ms', values['inject-delay-ms'], 0, 0, problems);
  const tlsChoice = readServeTls(values, problems);
  const gateOptions = readGateOptions(values, problems);
  const connectionLimits = readConnectionLimits(values, problems);
  const workers = readWorkers(values.workers, problems);
  const { rateLimits = {} } = gateOptions;
  if (
    workers > 1 &&
    (rateLimits.requestsPerSecond !== undefined || rateLimits.audioSecondsPerMinute !== undefined)
  )
    problems.push(
      `--rate-limit and --audio-quota are kept per process: ${workers} workers would allow ${workers} times the limit; use --workers 1`,
    );
  const burnRate =
    values['burn-rate'] === undefined
      ? undefined
      : numberOption('burn-rate', values['burn-rate'], 1, 1, problems);
  if (problems.length > 0) throw new UsageError(problems);
  const settings: Omit<ServeSettings, 'tls'> = {
    protocols,
    host: address.host,
    ports: address.ports,
    stt: {
      choice,
      realTimeFactor,
      referenceClips: loadReferenceClips,
      ...(decoders === undefined ? {} : { decoders }),
      ...(burnRate === undefined ? {} : { burnRate }),
    },
    classifier,
    limits,
    injectedDelayMs,
    gate: gateOptions,
    connectionLimits,
  };
  return { settings, tlsChoice, stopWithParent, workers };
}

export async function serve(argv: readonly string[]): Promise<number> {
  const { settings, tlsChoice, stopWithParent, workers } = parseServeOptions(argv);
  if (cluster.isWorker) return serveAsWorker({ ...settings, tls: workerTls() });
  const { tls, files: tlsFiles } = serverTlsOf(tlsChoice);
  if (settings.injectedDelayMs > 0)
    process.stderr.write(
      `warning: every unary call is delayed by ${settings.injectedDelayMs} ms on purpose\n`,
    );
  const serving: Serving & Partial<Pick<ServingWorkers, 'pids' | 'lost'>> =
    workers > 1 ? await startWorkers(workers, tls) : await startServing({ ...settings, tls });
  announce(serving, settings, tls, tlsFiles);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (code: number) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write('stopping\n');
      serving.close().then(
        () => resolve(code),
        () => resolve(1),
      );
    };
    process.once('SIGINT', () => stop(0));
    process.once('SIGTERM', () => stop(0));
    // A worker gone means the benchmark would measure fewer workers than asked: stop, fail.
    serving.lost?.then((why) => {
      process.stderr.write(`${why}; stopping\n`);
      stop(1);
    });
    if (stopWithParent) {
      // The parent holds our stdin open; when it dies, however it dies, stdin ends.
      process.stdin.once('end', () => stop(0));
      // Watched only once asked (soak): a benchmark run's servers carry no extra timer. With
      // workers, this process serves nothing, so it has no health of the server's to give.
      let health: ProcessHealthMonitor | undefined;
      createInterface({ input: process.stdin }).on('line', (line) => {
        const command = line.trim();
        if (workers > 1 || (command !== 'health' && command !== 'health after gc')) return;
        health ??= new ProcessHealthMonitor();
        if (command === 'health after gc') health.collectGarbage();
        process.stdout.write(`${JSON.stringify(health.sample())}\n`);
      });
      process.stdin.once('end', () => health?.stop());
    }
  });
}

/** The start-up messages on stderr and the one `listening` line on stdout. */
function announce(
  serving: Serving & { readonly pids?: readonly number[] | undefined },
  settings: Omit<ServeSettings, 'tls'>,
  tls: ServerTls | undefined,
  tlsFiles: ThrowawayFiles | undefined,
): void {
  process.stderr.write(`stt engine: ${serving.stt} (${serving.sttWhy}); classifier: ${serving.classifier}\n`);
  process.stderr.write(`${describeGate(settings.gate)}\n`);
  if (serving.pids)
    process.stderr.write(
      `${serving.pids.length} workers (pids ${serving.pids.join(', ')}) share each port; connections are dealt round-robin\n`,
    );
  for (const protocol of settings.protocols) {
    const { host, port } = serving.listening[serverProtocolInfo[protocol].eventKey]!;
    process.stderr.write(`${titleOf(protocol, tls)} listening on ${formatHostPort(host, port)}\n`);
  }
  if (tlsFiles) {
    process.stderr.write(
      `TLS${tls?.mtls ? ' (mTLS)' : ''} with throwaway certificates in ${tlsFiles.dir}; connect with --ca ${tlsFiles.ca}${tls?.mtls ? ` --cert ${tlsFiles.clientCert} --key ${tlsFiles.clientKey}` : ''}\n`,
    );
  } else if (tls) process.stderr.write(`TLS${tls.mtls ? ' (mTLS)' : ''} with the given certificate\n`);
  const tlsEvent = tls
    ? {
        tls: {
          mtls: tls.mtls,
          ...(tlsFiles
            ? { ca: tlsFiles.ca, clientCert: tlsFiles.clientCert, clientKey: tlsFiles.clientKey }
            : {}),
        },
      }
    : {};
  const workersEvent = serving.pids ? { workers: serving.pids } : {};
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', stt: serving.stt, ...serving.listening, ...tlsEvent, ...workersEvent })}\n`,
  );
}

/** The start-up title, over TLS when it is (the HTTP/2 REST server then speaks h2, not h2c). */
function titleOf(protocol: ServerProtocol, tls: ServerTls | undefined): string {
  const title = serverProtocolInfo[protocol].title;
  if (!tls) return title;
  return `${title.replace(' (h2c)', '')} over TLS${tls.mtls ? ' (mTLS)' : ''}`;
}

const protocolGroups: Record<string, readonly ServerProtocol[]> = {
  both: ['grpc', 'rest'],
  all: serverProtocols,
};

function readProtocols(value: string | undefined, problems: string[]): readonly ServerProtocol[] {
  const group = protocolGroups[value ?? 'both'];
  if (group) return group;
  const names = value!.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(serverProtocols as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    problems.push(
      `--protocol must be both, all or a comma-separated list of ${serverProtocols.join(', ')}, not "${value}"`,
    );
    return protocolGroups.both!;
  }
  return [...new Set(names as ServerProtocol[])];
}

const connectionLimitFlags = {
  requestTimeoutMs: 'request-timeout-ms',
  headersTimeoutMs: 'headers-timeout-ms',
  idleTimeoutMs: 'idle-timeout-ms',
  maxConnectionAgeMs: 'max-connection-age-ms',
  connectionAgeGraceMs: 'connection-age-grace-ms',
} as const satisfies Record<keyof ConnectionLimits, string>;

const connectionLimitOptions = Object.fromEntries(
  Object.values(connectionLimitFlags).map((flag) => [flag, { type: 'string' }]),
) as Record<(typeof connectionLimitFlags)[keyof ConnectionLimits], { type: 'string' }>;

function readConnectionLimits(
  values: Readonly<Record<string, unknown>>,
  problems: string[],
): ConnectionLimits {
  const entries = Object.entries(connectionLimitFlags).map(([key, flag]) => {
    const value = values[flag];
    const fallback = defaultConnectionLimits[key as keyof ConnectionLimits];
    // node's timers hold at most 2^31-1 ms (24.8 days).
    const range = { min: 1, max: 2_147_483_647 };
    return [
      key,
      integerOption(flag, typeof value === 'string' ? value : undefined, fallback, range, problems),
    ];
  });
  const limits = Object.fromEntries(entries) as unknown as ConnectionLimits;
  problems.push(...connectionLimitProblems(limits));
  return limits;
}

/** A bound on memory: each worker loads its own engines and embeddings (about 200 MB). */
const maxWorkers = 64;

function readWorkers(value: string | undefined, problems: string[]): number {
  if (value === 'auto') return availableParallelism();
  return integerOption('workers', value, 1, { min: 1, max: maxWorkers }, problems);
}

/** The request-level policy in force, for the start-up message: no key is ever printed. */
function describeGate(options: ReturnType<typeof readGateOptions>): string {
  const { rateLimits = {}, loadShedding = {} } = options;
  const parts = [
    options.apiKeys ? `API keys required (${options.apiKeys.size})` : 'no API keys (anyone may call)',
    rateLimits.requestsPerSecond === undefined
      ? 'no rate limit'
      : `rate limit ${rateLimits.requestsPerSecond}/s per key (burst ${rateLimits.burst ?? Math.max(1, Math.ceil(rateLimits.requestsPerSecond))})`,
    ...(rateLimits.audioSecondsPerMinute === undefined
      ? []
      : [`audio quota ${rateLimits.audioSecondsPerMinute} s/min per key`]),
    ...(loadShedding.maxInFlight === undefined ? [] : [`at most ${loadShedding.maxInFlight} in flight`]),
    ...(loadShedding.maxEventLoopDelayMs === undefined
      ? []
      : [`shed past ${loadShedding.maxEventLoopDelayMs} ms event-loop delay`]),
  ];
  return `request policy: ${parts.join('; ')}`;
}
