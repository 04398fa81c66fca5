import { createInterface } from 'node:readline';
import { loadReferenceClips } from '../bench/corpus/reference-clips.js';
import { startConnectServer } from '../servers/connect/connect-server.js';
import {
  type ConnectionLimits,
  connectionLimitProblems,
  defaultConnectionLimits,
} from '../servers/connection-limits.js';
import { defaultLimits } from '../servers/core/limits.js';
import { RequestGate } from '../servers/core/request-gate.js';
import type { SpeechService } from '../servers/core/speech-service.js';
import { sttChoices } from '../servers/engines/stt/select-stt.js';
import { type RunningServer, startGrpcServer } from '../servers/grpc/grpc-server.js';
import { formatHostPort } from '../servers/host-port.js';
import { ProcessHealthMonitor } from '../servers/process-health.js';
import { startRestServer } from '../servers/rest/rest-server.js';
import { type ServerProtocol, serverProtocolInfo, serverProtocols } from '../servers/server-protocols.js';
import { createSpeechRuntime } from '../servers/speech-runtime.js';
import type { ServerTls } from '../servers/tls/server-tls.js';
import { gateOptionSpecs, gateUsage, readGateOptions } from './gate-options.js';
import {
  addressOptions,
  choiceOption,
  integerOption,
  numberOption,
  parseOptions,
  readAddress,
} from './parse-options.js';
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
  --stt auto|sphinx|reference speech engine (default auto: sphinx where installed)
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
                              runs a full garbage collection first (for leak checks)
${serveTlsUsage}
${gateUsage}
When ready it prints one JSON line on stdout: {"event":"listening",...}; messages go to stderr.`;

/** The command line, checked (every problem at once), without starting anything. */
export function parseServeOptions(argv: readonly string[]) {
  const { values } = parseOptions(argv, {
    ...addressOptions,
    protocol: { type: 'string' },
    stt: { type: 'string' },
    rtf: { type: 'string' },
    decoders: { type: 'string' },
    'max-audio-seconds': { type: 'string' },
    'max-text-chars': { type: 'string' },
    'max-labels': { type: 'string' },
    'inject-delay-ms': { type: 'string' },
    ...connectionLimitOptions,
    'stop-with-parent': { type: 'boolean', default: false },
    ...serveTlsOptions,
    ...gateOptionSpecs,
    'burn-rate': { type: 'string' },
  });
  const stopWithParent = values['stop-with-parent'];
  const problems: string[] = [];
  const address = readAddress(values, problems);
  const protocols = readProtocols(values.protocol, problems);
  const choice = choiceOption('stt', values.stt, sttChoices, 'auto', problems);
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
  const burnRate =
    values['burn-rate'] === undefined
      ? undefined
      : numberOption('burn-rate', values['burn-rate'], 1, 1, problems);
  if (problems.length > 0) throw new UsageError(problems);
  return {
    stopWithParent,
    address,
    protocols,
    choice,
    realTimeFactor,
    decoders,
    limits,
    injectedDelayMs,
    tlsChoice,
    gateOptions,
    connectionLimits,
    burnRate,
  };
}

export async function serve(argv: readonly string[]): Promise<number> {
  const {
    stopWithParent,
    address,
    protocols,
    choice,
    realTimeFactor,
    decoders,
    limits,
    injectedDelayMs,
    tlsChoice,
    gateOptions,
    connectionLimits,
    burnRate,
  } = parseServeOptions(argv);
  const { tls, files: tlsFiles } = serverTlsOf(tlsChoice);
  // One gate for every server of the process: a key's limits and ledger span the protocols.
  const gate = new RequestGate(gateOptions);
  const runtime = await createSpeechRuntime(
    {
      choice,
      realTimeFactor,
      referenceClips: loadReferenceClips,
      ...(decoders === undefined ? {} : { decoders }),
      ...(burnRate === undefined ? {} : { burnRate }),
    },
    limits,
    injectedDelayMs,
  );
  if (injectedDelayMs > 0)
    process.stderr.write(`warning: every unary call is delayed by ${injectedDelayMs} ms on purpose\n`);
  const servers: RunningServer[] = [];
  const closeAll = async () => {
    await Promise.all(servers.map((server) => server.close()));
    gate.close();
    await runtime.close();
  };
  const listening: Record<string, { host: string; port: number }> = {};
  try {
    for (const protocol of protocols) {
      const server = await startServer(protocol, {
        service: runtime.service,
        gate,
        host: address.host,
        port: address.ports[protocol],
        tls,
        connectionLimits,
      });
      servers.push(server);
      listening[serverProtocolInfo[protocol].eventKey] = { host: server.host, port: server.port };
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  const info = runtime.service.serverInfo();
  process.stderr.write(`stt engine: ${info.sttEngine} (${runtime.sttWhy}); classifier: ${info.classifier}\n`);
  process.stderr.write(`${describeGate(gateOptions)}\n`);
  for (const [index, protocol] of protocols.entries()) {
    const server = servers[index]!;
    process.stderr.write(
      `${titleOf(protocol, tls)} listening on ${formatHostPort(server.host, server.port)}\n`,
    );
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
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', stt: info.sttEngine, ...listening, ...tlsEvent })}\n`,
  );

  return new Promise<number>((resolve) => {
    const stop = () => {
      process.stderr.write('stopping\n');
      closeAll().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (stopWithParent) {
      // The parent holds our stdin open; when it dies, however it dies, stdin ends.
      process.stdin.once('end', stop);
      // Watched only once asked (soak): a benchmark run's servers carry no extra timer.
      let health: ProcessHealthMonitor | undefined;
      createInterface({ input: process.stdin }).on('line', (line) => {
        const command = line.trim();
        if (command !== 'health' && command !== 'health after gc') return;
        health ??= new ProcessHealthMonitor();
        if (command === 'health after gc') health.collectGarbage();
        process.stdout.write(`${JSON.stringify(health.sample())}\n`);
      });
      process.stdin.once('end', () => health?.stop());
    }
  });
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

interface ServerSetup {
  readonly service: SpeechService;
  readonly gate: RequestGate;
  readonly host: string;
  readonly port: number;
  readonly tls: ServerTls | undefined;
  readonly connectionLimits: ConnectionLimits;
}

function startServer(protocol: ServerProtocol, setup: ServerSetup) {
  const { tls, ...common } = setup;
  const options = { ...common, ...(tls ? { tls } : {}) };
  switch (protocol) {
    case 'grpc':
      return startGrpcServer(options);
    case 'rest':
      return startRestServer(options);
    case 'rest-h2':
      return startRestServer({ ...options, http2: true });
    case 'connect':
      return startConnectServer(options);
  }
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
