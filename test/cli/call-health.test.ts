import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-process.js';
import { startTestServers, type TestServers } from '../support/test-servers.js';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('grpc-rest-bench call grpc|rest health (the compose health checks)', () => {
  let servers: TestServers;
  beforeAll(async () => {
    servers = await startTestServers();
  });
  afterAll(async () => {
    await servers?.close();
  });

  it('answers SERVING, exit 0, over grpc.health.v1 and GET /healthz', async () => {
    const [grpc, rest] = await Promise.all([
      runCli(['call', 'grpc', 'health', '--grpc-port', String(servers.grpcPort)]),
      runCli(['call', 'rest', 'health', '--rest-port', String(servers.restPort)]),
    ]);
    expect(grpc.code, grpc.stderr).toBe(0);
    expect(JSON.parse(grpc.stdout)).toEqual({ status: 'SERVING' });
    expect(rest.code, rest.stderr).toBe(0);
    expect(JSON.parse(rest.stdout)).toEqual({ status: 'SERVING' });
  });

  it('exits 1 with the reason when nothing answers', async () => {
    const port = String(await closedPort());
    const [grpc, rest] = await Promise.all([
      runCli(['call', 'grpc', 'health', '--grpc-port', port, '--deadline', '2000']),
      runCli(['call', 'rest', 'health', '--rest-port', port, '--deadline', '2000']),
    ]);
    expect(grpc.code).toBe(1);
    expect(JSON.parse(grpc.stdout).status).toMatch(/^14: /);
    expect(rest.code).toBe(1);
    expect(JSON.parse(rest.stdout).status).toMatch(/ECONNREFUSED/);
  });
});
