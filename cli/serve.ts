import { loadReferenceClips } from '../bench/corpus/reference-clips.js';
import { startConnectServer } from '../servers/connect/connect-server.js';
import { defaultLimits } from '../servers/core/limits.js';
import type { SpeechService } from '../servers/core/speech-service.js';
import { sttChoices } from '../servers/engines/stt/select-stt.js';
import { type RunningServer, startGrpcServer } from '../servers/grpc/grpc-server.js';
import { formatHostPort } from '../servers/host-port.js';
import { startRestServer } from '../servers/rest/rest-server.js';
import { type ServerProtocol, serverProtocolInfo, serverProtocols } from '../servers/server-protocols.js';
import { createSpeechRuntime } from '../servers/speech-runtime.js';
import {
  addressOptions,
  choiceOption,
  integerOption,
  numberOption,
  parseOptions,
  readAddress,
} from './parse-options.js';
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
  --decoders N                sphinx decoders in the pool (default: the libuv thread pool size)
  --max-audio-seconds S       (default ${defaultLimits.maxAudioSeconds})
  --max-text-chars N          (default ${defaultLimits.maxTextChars})
  --max-labels N              (default ${defaultLimits.maxLabels})
  --inject-delay-ms N         add N ms to every unary call (to test regression gates; never for real runs)
  --stop-with-parent          stop when stdin closes (the benchmark run starts its servers so)
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
    'stop-with-parent': { type: 'boolean', default: false },
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
  if (problems.length > 0) throw new UsageError(problems);
  return { stopWithParent, address, protocols, choice, realTimeFactor, decoders, limits, injectedDelayMs };
}

export async function serve(argv: readonly string[]): Promise<number> {
  const { stopWithParent, address, protocols, choice, realTimeFactor, decoders, limits, injectedDelayMs } =
    parseServeOptions(argv);
  const runtime = await createSpeechRuntime(
    {
      choice,
      realTimeFactor,
      referenceClips: loadReferenceClips,
      ...(decoders === undefined ? {} : { decoders }),
    },
    limits,
    injectedDelayMs,
  );
  if (injectedDelayMs > 0)
    process.stderr.write(`warning: every unary call is delayed by ${injectedDelayMs} ms on purpose\n`);
  const servers: RunningServer[] = [];
  const closeAll = async () => {
    await Promise.all(servers.map((server) => server.close()));
    await runtime.close();
  };
  const listening: Record<string, { host: string; port: number }> = {};
  try {
    for (const protocol of protocols) {
      const server = await startServer(protocol, runtime.service, address.host, address.ports[protocol]);
      servers.push(server);
      listening[serverProtocolInfo[protocol].eventKey] = { host: server.host, port: server.port };
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  const info = runtime.service.serverInfo();
  process.stderr.write(`stt engine: ${info.sttEngine} (${runtime.sttWhy}); classifier: ${info.classifier}\n`);
  for (const [index, protocol] of protocols.entries()) {
    const server = servers[index]!;
    process.stderr.write(
      `${serverProtocolInfo[protocol].title} listening on ${formatHostPort(server.host, server.port)}\n`,
    );
  }
  process.stdout.write(`${JSON.stringify({ event: 'listening', stt: info.sttEngine, ...listening })}\n`);

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

function startServer(protocol: ServerProtocol, service: SpeechService, host: string, port: number) {
  switch (protocol) {
    case 'grpc':
      return startGrpcServer({ service, host, port });
    case 'rest':
      return startRestServer({ service, host, port });
    case 'rest-h2':
      return startRestServer({ service, host, port, http2: true });
    case 'connect':
      return startConnectServer({ service, host, port });
  }
}
