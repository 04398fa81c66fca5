/**
 * Servers a run did not start: it asks each for its engine (the info RPC, over the
 * server's own protocol) and can measure neither its CPU nor its memory.
 */
import { connect as http2Connect } from 'node:http2';
import { GrpcSpeechClient } from '../../clients/grpc-speech-client.js';
import { RestSpeechClient } from '../../clients/rest-speech-client.js';
import { ServerInfo } from '../../proto/gen/speech/v1/speech.js';
import { formatHostPort } from '../../servers/host-port.js';
import type { ServerProtocol } from '../../servers/server-protocols.js';
import type { RunServer } from './run-server.js';
import type { ServerAddress, ServerList } from './server-list.js';

const infoDeadlineMs = 10_000;

class ExternalServer implements RunServer {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly engine: string,
  ) {}

  sample(): undefined {
    return undefined;
  }

  async stop(): Promise<void> {
    // Not ours to stop.
  }
}

export type ExternalServers = ReadonlyArray<{
  readonly protocol: ServerProtocol;
  readonly server: RunServer;
}>;

/** Every listed server's engine; throws one error naming every server that did not answer. */
export async function connectExternalServers(servers: ServerList): Promise<ExternalServers> {
  const outcomes = await Promise.all(
    servers.map(async ({ protocol, address }) => {
      try {
        const info = await fetchServerInfo(protocol, address);
        return { protocol, server: new ExternalServer(address.host, address.port, info.sttEngine) };
      } catch (error) {
        const where = formatHostPort(address.host, address.port);
        return { protocol, problem: `${protocol} at ${where}: ${(error as Error).message}` };
      }
    }),
  );
  const problems = outcomes.flatMap((o) => (o.problem ? [o.problem] : []));
  if (problems.length > 0)
    throw new Error(`servers did not answer the info RPC:\n  ${problems.join('\n  ')}`);
  return outcomes.map((o) => ({ protocol: o.protocol, server: o.server! }));
}

/**
 * The server of `protocol` that runs the engine a scenario asks for (`auto`: sphinx where
 * one runs it, as a local run's auto would pick), or why there is none.
 */
export function pickExternalServer(
  servers: ExternalServers,
  protocol: ServerProtocol,
  stt: string,
): RunServer | { readonly skipped: string } {
  const candidates = servers.filter((s) => s.protocol === protocol).map((s) => s.server);
  if (candidates.length === 0) return { skipped: `no ${protocol} server given in --servers` };
  const wanted =
    stt === 'auto'
      ? (candidates.find((s) => s.engine === 'sphinx') ?? candidates[0])
      : candidates.find((s) => s.engine === stt);
  if (wanted) return wanted;
  const engines = candidates.map((s) => `${formatHostPort(s.host, s.port)} runs ${s.engine}`).join(', ');
  return {
    skipped: `no ${protocol} server in --servers runs the ${stt} engine the scenario asks for (${engines})`,
  };
}

export async function fetchServerInfo(protocol: ServerProtocol, address: ServerAddress): Promise<ServerInfo> {
  const options = { deadlineMs: infoDeadlineMs };
  if (protocol === 'grpc' || protocol === 'connect') {
    const client = new GrpcSpeechClient(address);
    try {
      return await client.serverInfo(options);
    } finally {
      client.close();
    }
  }
  if (protocol === 'rest') {
    const client = new RestSpeechClient(address);
    try {
      return await client.serverInfo(options);
    } finally {
      client.close();
    }
  }
  return ServerInfo.fromJSON(await h2cGetJson(address, '/v1/info'));
}

/** REST over HTTP/2 without TLS (prior knowledge), as the rest-h2 server speaks it. */
function h2cGetJson(address: ServerAddress, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(`http://${formatHostPort(address.host, address.port)}`);
    const timer = setTimeout(
      () => session.destroy(new Error(`no answer within ${infoDeadlineMs} ms`)),
      infoDeadlineMs,
    );
    session.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    const stream = session.request({ ':method': 'GET', ':path': path });
    let status = 0;
    let body = '';
    stream.setEncoding('utf8');
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    stream.on('data', (chunk: string) => {
      body += chunk;
    });
    stream.on('error', () => {
      // The session's error handler reports it.
    });
    stream.on('end', () => {
      clearTimeout(timer);
      session.close();
      if (status !== 200) reject(new Error(`GET ${path} answered HTTP ${status}: ${body.slice(0, 200)}`));
      else {
        try {
          resolve(JSON.parse(body));
        } catch (error) {
          reject(error);
        }
      }
    });
  });
}
