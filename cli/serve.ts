import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { loadReferenceClips } from '../bench/corpus/reference-clips.js';
import { defaultLimits } from '../servers/core/limits.js';
import { sttChoices } from '../servers/engines/stt/select-stt.js';
import { formatHostPort } from '../servers/host-port.js';
import { type ServerProtocol, serverProtocolInfo, serverProtocols } from '../servers/server-protocols.js';
import { type ServeSettings, startServing } from '../servers/start-serving.js';
import {
  addressOptions,
  choiceOption,
  integerOption,
  numberOption,
  parseOptions,
  readAddress,
} from './parse-options.js';
import { serveAsWorker, serveWithWorkers } from './serve-workers.js';
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
  --inject-delay-ms N         add N ms to every unary call (to test regression gates; never for real runs)
  --stop-with-parent          stop when stdin closes (the benchmark run starts its servers so)
  --workers N|auto            server processes sharing each port (node:cluster, connections dealt
                              round-robin); auto = one per CPU (default 1: no worker processes)
When ready it prints one JSON line on stdout: {"event":"listening",...}; messages go to stderr.`;

export async function serve(argv: readonly string[]): Promise<number> {
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
    'stop-with-parent': { type: 'boolean', default: false },
    workers: { type: 'string' },
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
  const workers = readWorkers(values.workers, problems);
  const burnRate =
    values['burn-rate'] === undefined
      ? undefined
      : numberOption('burn-rate', values['burn-rate'], 1, 1, problems);
  if (problems.length > 0) throw new UsageError(problems);

  const settings: ServeSettings = {
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
    limits,
    injectedDelayMs,
  };
  if (cluster.isWorker) return serveAsWorker(settings);
  if (injectedDelayMs > 0)
    process.stderr.write(`warning: every unary call is delayed by ${injectedDelayMs} ms on purpose\n`);
  if (workers > 1) return serveWithWorkers(workers, protocols, stopWithParent);

  const serving = await startServing(settings);
  process.stderr.write(`stt engine: ${serving.stt} (${serving.sttWhy}); classifier: ${serving.classifier}\n`);
  for (const protocol of protocols) {
    const { host, port } = serving.listening[serverProtocolInfo[protocol].eventKey]!;
    process.stderr.write(
      `${serverProtocolInfo[protocol].title} listening on ${formatHostPort(host, port)}\n`,
    );
  }
  process.stdout.write(`${JSON.stringify({ event: 'listening', stt: serving.stt, ...serving.listening })}\n`);

  return new Promise<number>((resolve) => {
    const stop = () => {
      process.stderr.write('stopping\n');
      serving.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (stopWithParent) {
      // The parent holds our stdin open; when it dies, however it dies, stdin ends.
      process.stdin.once('end', stop);
      process.stdin.resume();
    }
  });
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

/** A bound on memory: each worker loads its own engines and embeddings (about 200 MB). */
const maxWorkers = 64;

function readWorkers(value: string | undefined, problems: string[]): number {
  if (value === 'auto') return availableParallelism();
  return integerOption('workers', value, 1, { min: 1, max: maxWorkers }, problems);
}
