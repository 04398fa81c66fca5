import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectServer } from '../../servers/connect/connect-server.js';
import { defaultLimits } from '../../servers/core/limits.js';
import { type RunningServer, startGrpcServer } from '../../servers/grpc/grpc-server.js';
import { startRestServer } from '../../servers/rest/rest-server.js';
import type { ServerProtocol } from '../../servers/server-protocols.js';
import { createSpeechRuntime } from '../../servers/speech-runtime.js';
import { loadReferenceClips } from '../corpus/reference-clips.js';
import { connectExternalServers } from './external-servers.js';

describe('connectExternalServers', () => {
  const host = '127.0.0.1';
  let runtime: Awaited<ReturnType<typeof createSpeechRuntime>>;
  const servers = new Map<ServerProtocol, RunningServer>();
  beforeAll(async () => {
    runtime = await createSpeechRuntime(
      { choice: 'reference', realTimeFactor: 0, referenceClips: loadReferenceClips },
      defaultLimits,
    );
    const { service } = runtime;
    servers.set('grpc', await startGrpcServer({ service, host, port: 0 }));
    servers.set('connect', await startConnectServer({ service, host, port: 0 }));
    servers.set('rest', await startRestServer({ service, host, port: 0 }));
    servers.set('rest-h2', await startRestServer({ service, host, port: 0, http2: true }));
  }, 30_000);
  afterAll(async () => {
    await Promise.all([...servers.values()].map((server) => server.close()));
    await runtime?.close();
  });

  it("asks every protocol's server for its engine over that protocol", async () => {
    const list = [...servers].map(([protocol, server]) => ({
      protocol,
      address: { host, port: server.port },
    }));
    const external = await connectExternalServers(list);
    expect(external.map((s) => [s.protocol, s.server.engine, s.server.port])).toEqual(
      list.map(({ protocol, address }) => [protocol, 'reference', address.port]),
    );
    // A server the run did not start: nothing to sample, nothing to stop.
    expect(external[0]!.server.sample()).toBeUndefined();
  });

  it('names every server that does not answer, at once', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, host, resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      connectExternalServers([
        { protocol: 'grpc', address: { host, port: servers.get('grpc')!.port } },
        { protocol: 'rest', address: { host, port } },
        { protocol: 'rest-h2', address: { host, port } },
      ]),
    ).rejects.toThrow(
      new RegExp(`rest at 127.0.0.1:${port}: .*ECONNREFUSED[^]*rest-h2 at 127.0.0.1:${port}: `),
    );
  });
});
