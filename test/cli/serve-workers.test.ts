import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { GrpcSpeechClient } from '../../clients/grpc-speech-client.js';
import { freePortsReference, runCli, type ServeProcess, startServe } from '../support/cli-process.js';

const started: ServeProcess[] = [];

/** `serve --workers 2` on port 0. */
async function serveWorkers(extra: readonly string[] = []) {
  const server = await startServe(['--workers', '2', ...freePortsReference, ...extra]);
  started.push(server);
  return server;
}

/** One request on a connection of its own (no keep-alive agent): which worker answered. */
function restPid(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/info', agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve((JSON.parse(body) as { pid: number }).pid));
    });
    req.on('error', reject);
    req.end();
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pids: readonly number[], withinMs: number): Promise<boolean> {
  const end = Date.now() + withinMs;
  while (Date.now() < end) {
    if (!pids.some(alive)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !pids.some(alive);
}

function countBy(pids: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const pid of pids) counts.set(pid, (counts.get(pid) ?? 0) + 1);
  return counts;
}

afterEach(() => {
  for (const { child } of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('serve --workers', () => {
  it('serves each protocol on one port from 2 worker pids, deals connections evenly, refuses a busy port and stops clean', async () => {
    const { child, listening, laterStdout } = await serveWorkers();
    expect(listening.workers).toHaveLength(2);
    expect(new Set(listening.workers).size).toBe(2);
    expect(listening.workers).not.toContain(child.pid);

    // 8 connections each: round-robin dealing gives 4 + 4; allow one off for luck of timing.
    const restPids: number[] = [];
    for (let i = 0; i < 8; i++) restPids.push(await restPid(listening.rest!.port));
    const grpcPids: number[] = [];
    for (let i = 0; i < 8; i++) {
      const client = new GrpcSpeechClient({
        host: '127.0.0.1',
        port: listening.grpc!.port,
        ownConnection: true,
      });
      try {
        grpcPids.push((await client.serverInfo({ deadlineMs: 10_000 })).pid);
      } finally {
        client.close();
      }
    }
    for (const pids of [restPids, grpcPids]) {
      const counts = countBy(pids);
      expect([...counts.keys()].sort()).toEqual([...listening.workers!].sort());
      for (const count of counts.values()) expect(count).toBeGreaterThanOrEqual(3);
    }

    // A second `serve --workers 2` on the same port fails as one process would: exit code 2.
    const second = await runCli([
      'serve',
      '--workers',
      '2',
      '--protocol',
      'rest',
      '--rest-port',
      String(listening.rest!.port),
      '--stt',
      'reference',
    ]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/already in use|EADDRINUSE/);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(await gone(listening.workers!, 5_000)).toBe(true);
    // One listening line, whatever the number of workers.
    expect(laterStdout()).toBe('');
  }, 60_000);

  it('never leaves workers behind when the primary is killed outright', async () => {
    const { child, listening } = await serveWorkers(['--stop-with-parent']);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await gone(listening.workers!, 10_000)).toBe(true);
  }, 60_000);

  it('serves TLS from every worker with the one throwaway CA the primary made', async () => {
    const { listening } = await serveWorkers(['--protocol', 'grpc', '--tls']);
    const ca = readFileSync(listening.tls!.ca!, 'utf8');
    const pids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const client = new GrpcSpeechClient({
        host: '127.0.0.1',
        port: listening.grpc!.port,
        ownConnection: true,
        tls: { ca },
      });
      try {
        pids.push((await client.serverInfo({ deadlineMs: 10_000 })).pid);
      } finally {
        client.close();
      }
    }
    expect(new Set(pids)).toEqual(new Set(listening.workers));
  }, 60_000);

  it('rejects a bad worker count, and per-process rate limits with workers', async () => {
    const problemsOf = (args: readonly string[]) => runCli(['serve', ...args]);
    const bad = await problemsOf(['--workers', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--workers must be a whole number from 1 to 64, not "lots"/);
    const limited = await problemsOf(['--workers', '2', '--rate-limit', '10', '--audio-quota', '60']);
    expect(limited.code).toBe(2);
    expect(limited.stderr).toMatch(
      /--rate-limit and --audio-quota are kept per process: 2 workers would allow 2 times the limit; use --workers 1/,
    );
  }, 30_000);
});
