/**
 * docker-compose.yml, checked without a Docker engine: Debian's `docker-compose config`
 * validates and resolves it, and every command in it (services and health checks) must be
 * one the CLI accepts, with --servers naming the compose services on the ports they serve.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { serverProtocolOf } from '../../bench/run/driver-for-variant.js';
import { pickExternalServer } from '../../bench/run/external-servers.js';
import type { RunServer } from '../../bench/run/run-server.js';
import { loadSuite } from '../../bench/scenarios/suite.js';
import { parseCallOptions } from '../../cli/call.js';
import { parseRunOptions } from '../../cli/run.js';
import { parseServeOptions } from '../../cli/serve.js';
import type { ServerProtocol } from '../../servers/server-protocols.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function dockerCompose(): string | undefined {
  try {
    execFileSync('docker-compose', ['version'], { stdio: 'ignore', timeout: 20_000 });
    return 'docker-compose';
  } catch {
    return undefined;
  }
}

const composeBinary = dockerCompose();
if (!composeBinary)
  console.warn(
    'skipping the docker-compose config test: docker-compose is not installed (apt-get install docker-compose)',
  );

function composeConfig(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      composeBinary!,
      ['-f', file, 'config'],
      { cwd: root, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface Service {
  image?: string;
  build?: unknown;
  command: string[];
  cpus?: number;
  mem_limit?: string;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

/** The CLI arguments of a service: the Dockerfile's ENTRYPOINT is `node bin/grpc-rest-bench.js`. */
function entrypoint(): string[] {
  const line = readFileSync(join(root, 'Dockerfile'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('ENTRYPOINT '));
  return JSON.parse(line!.slice('ENTRYPOINT '.length)) as string[];
}

/** Parses a CLI invocation as the CLI itself would (UsageError on anything it rejects). */
function parseInvocation(args: readonly string[]) {
  const [command, ...rest] = args;
  if (command === 'serve') return { command, serve: parseServeOptions(rest) };
  if (command === 'run') return { command, run: parseRunOptions(rest) };
  if (command === 'call') return { command, call: parseCallOptions(rest) };
  throw new Error(`"${command}" is not a command compose should run`);
}

describe.skipIf(!composeBinary)('docker-compose.yml', () => {
  let services: Record<string, Service>;
  let dir: string;
  beforeAll(async () => {
    const result = await composeConfig('docker-compose.yml');
    expect(result.code, result.stderr).toBe(0);
    services = (parseYaml(result.stdout) as { services: Record<string, Service> }).services;
  }, 40_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes docker-compose config, which fails on a broken file', async () => {
    expect(Object.keys(services).sort()).toEqual([
      'bench',
      'grpc-server',
      'grpc-server-reference',
      'rest-server',
      'rest-server-reference',
    ]);
    dir = mkdtempSync(join(tmpdir(), 'compose-test-'));
    const broken = readFileSync(join(root, 'docker-compose.yml'), 'utf8').replace('cpus: 1.0', 'cpus: lots');
    writeFileSync(join(dir, 'docker-compose.yml'), broken);
    expect((await composeConfig(join(dir, 'docker-compose.yml'))).code).not.toBe(0);
  }, 40_000);

  it('gives the servers one image, the same limits and a health check through the CLI', () => {
    const servers = Object.entries(services).filter(([name]) => name !== 'bench');
    for (const [name, service] of servers) {
      expect(service.image, name).toBe(services['grpc-server']!.image);
      expect(service.cpus, name).toBe(services['grpc-server']!.cpus);
      expect(service.mem_limit, name).toBe(services['grpc-server']!.mem_limit);
      expect(service.cpus).toBeGreaterThan(0);
      const [kind, node, bin, ...args] = service.healthcheck!.test;
      expect([kind, node, bin]).toEqual(['CMD', ...entrypoint()]);
      const parsed = parseInvocation(args);
      expect(parsed.call?.rpc, name).toBe('health');
      const serve = parseInvocation(service.command).serve!;
      // Inside a container the server must listen on every interface to be reachable.
      expect(serve.settings.host, name).toBe('0.0.0.0');
      // The health check calls the protocol the server serves, on its port.
      const protocol = parsed.call!.protocol;
      expect(serve.settings.protocols, name).toContain(protocol);
      const port = protocol === 'grpc' ? parsed.call!.address.grpcPort : parsed.call!.address.restPort;
      expect(serve.settings.ports[protocol]).toBe(port);
    }
    expect(services['grpc-server']!.image).toBe(services.bench!.image);
  });

  it('runs the default suite from bench against every server, once they are healthy', () => {
    const bench = services.bench!;
    for (const name of Object.keys(services).filter((n) => n !== 'bench'))
      expect(bench.depends_on?.[name]?.condition, name).toBe('service_healthy');
    const { values, suite, servers } = parseInvocation(bench.command).run!;
    expect(values.suite).toBe('quick');
    expect(bench.volumes).toContain(`${join(root, 'reports-out')}:${values.out}:rw`);
    // Every --servers entry is a compose service serving that protocol on that port...
    const engines: { protocol: ServerProtocol; server: RunServer }[] = [];
    for (const { protocol, address } of servers!) {
      const service = services[address.host];
      expect(service, address.host).toBeDefined();
      const serve = parseInvocation(service!.command).serve!;
      expect(serve.settings.protocols, `${address.host} serves ${protocol}`).toContain(protocol);
      expect(serve.settings.ports[protocol], `${address.host} ${protocol} port`).toBe(address.port);
      const engine = serve.settings.stt.choice === 'auto' ? 'sphinx' : serve.settings.stt.choice;
      engines.push({
        protocol,
        server: { ...address, engine, sample: () => undefined, stop: async () => {} },
      });
    }
    // ...and every scenario of the default suite finds a server with its engine: none is skipped.
    expect(suite.name).toBe(loadSuite('quick', {}).name);
    for (const scenario of suite.scenarios)
      for (const variant of scenario.variants) {
        const picked = pickExternalServer(engines, serverProtocolOf(variant), scenario.stt);
        expect('skipped' in picked ? picked.skipped : 'ok', `${scenario.name}/${variant}`).toBe('ok');
      }
  });

  it('would notice a command the CLI rejects', () => {
    expect(() => parseInvocation([...services['grpc-server']!.command, '--bogus'])).toThrow(/bogus/);
    expect(() => parseInvocation(['run', '--servers', 'grpc=grpc-server'])).toThrow(/HOST:PORT/);
  });
});
