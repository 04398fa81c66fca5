import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { GrpcSpeechClient } from '../../clients/grpc-speech-client.js';
import { cliPath } from '../support/cli-process.js';

interface Listening {
  event: string;
  grpc: { port: number };
  rest: { port: number };
  workers: number[];
  tls?: { ca: string };
}

const started: ChildProcess[] = [];

/** `serve --workers 2` on port 0, waiting for its one listening line. */
async function serveWorkers(extra: readonly string[] = []) {
  const child = spawn(
    process.execPath,
    [
      cliPath,
      'serve',
      '--workers',
      '2',
      '--grpc-port',
      '0',
      '--rest-port',
      '0',
      '--stt',
      'reference',
      ...extra,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  started.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines: string[] = [];
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  for await (const line of createInterface({ input: child.stdout! })) {
    lines.push(line);
    if ((JSON.parse(line) as { event: string }).event === 'listening') break;
  }
  clearTimeout(timer);
  // Anything more on stdout would break the one-line contract: collect it.
  child.stdout!.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  const listening = JSON.parse(lines.at(-1) ?? '{}') as Listening;
  if (listening.event !== 'listening') throw new Error(`serve did not start: ${stderr}`);
  return { child, listening, lines, stderr: () => stderr };
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
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('serve --workers', () => {
  it('serves each protocol on one port from 2 worker pids, deals connections evenly, refuses a busy port and stops clean', async () => {
    const { child, listening, lines } = await serveWorkers();
    expect(lines).toHaveLength(1);
    expect(listening.workers).toHaveLength(2);
    expect(new Set(listening.workers).size).toBe(2);
    expect(listening.workers).not.toContain(child.pid);

    // 8 connections each: round-robin dealing gives 4 + 4; allow one off for luck of timing.
    const restPids: number[] = [];
    for (let i = 0; i < 8; i++) restPids.push(await restPid(listening.rest.port));
    const grpcPids: number[] = [];
    for (let i = 0; i < 8; i++) {
      const client = new GrpcSpeechClient({
        host: '127.0.0.1',
        port: listening.grpc.port,
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
      expect([...counts.keys()].sort()).toEqual([...listening.workers].sort());
      for (const count of counts.values()) expect(count).toBeGreaterThanOrEqual(3);
    }

    // A second `serve --workers 2` on the same port fails as one process would: exit code 2.
    const second = spawn(
      process.execPath,
      [
        cliPath,
        'serve',
        '--workers',
        '2',
        '--protocol',
        'rest',
        '--rest-port',
        String(listening.rest.port),
      ].concat(['--stt', 'reference']),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    started.push(second);
    let secondStderr = '';
    second.stderr!.on('data', (chunk: Buffer) => {
      secondStderr += chunk.toString();
    });
    const [secondCode] = await once(second, 'exit');
    expect(secondCode).toBe(2);
    expect(secondStderr).toMatch(/already in use|EADDRINUSE/);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(await gone(listening.workers, 5_000)).toBe(true);
    expect(lines).toHaveLength(1);
  }, 60_000);

  it('never leaves workers behind when the primary is killed outright', async () => {
    const { child, listening } = await serveWorkers(['--stop-with-parent']);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await gone(listening.workers, 10_000)).toBe(true);
  }, 60_000);

  it('serves TLS from every worker with the one throwaway CA the primary made', async () => {
    const { listening } = await serveWorkers(['--protocol', 'grpc', '--tls']);
    const ca = readFileSync(listening.tls!.ca, 'utf8');
    const pids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const client = new GrpcSpeechClient({
        host: '127.0.0.1',
        port: listening.grpc.port,
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
    const problemsOf = async (args: readonly string[]) => {
      const child = spawn(process.execPath, [cliPath, 'serve', ...args], { stdio: 'pipe' });
      started.push(child);
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const [code] = await once(child, 'exit');
      return { code, stderr };
    };
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
