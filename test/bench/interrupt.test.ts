import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsProblems } from '../../bench/results/validate-results.js';
import { cliPath } from '../support/cli-process.js';

/**
 * Short repetitions of every kind (closed loop, open loop, streaming), so that a signal at a
 * random moment lands in any phase: start-up, warm-up, measuring, between repetitions.
 * 12 repetitions of 1.3 s: the run lasts well over the 10 s in which the signals fall.
 */
const suite = {
  name: 'interrupt',
  description: 'short repetitions of every load kind',
  defaults: { warmup: '300ms', duration: '1s', repetitions: 2, connections: 2, concurrency: 4 },
  scenarios: [
    { name: 'classify', rpc: 'classify', variants: ['grpc', 'rest-json-h1'] },
    {
      name: 'transcribe-open',
      rpc: 'transcribe',
      payload: 'short3s',
      load: { model: 'open', rate: 100 },
      variants: ['grpc', 'rest-json-h1'],
    },
    {
      name: 'streaming',
      rpc: 'streaming-transcribe',
      payload: 'short3s',
      pace: 'asap',
      streams: 2,
      variants: ['grpc', 'rest-binary-h1'],
    },
  ],
};

interface RunningCli {
  readonly child: ChildProcess;
  readonly dir: string;
  readonly stderr: () => string;
  /** Resolves once stderr matches (or the process has exited). */
  until(pattern: RegExp): Promise<void>;
}

function startRun(): RunningCli {
  const dir = mkdtempSync(join(tmpdir(), 'interrupt-'));
  const file = join(dir, 'suite.json');
  writeFileSync(file, JSON.stringify(suite));
  const child = spawn(process.execPath, [cliPath, 'run', '--suite', file, '--out', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout!.resume();
  return {
    child,
    dir,
    stderr: () => stderr,
    async until(pattern) {
      const deadline = Date.now() + 45_000;
      while (!pattern.test(stderr) && child.exitCode === null && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
    },
  };
}

const serversUp = /^server \S+: pid/m;
/** The progress line a repetitionEnd prints: "classify grpc #1: 512 req/s, ...". */
const firstRepetitionEnded = /^\S+ \S+ #\d+: \d+ req\/s/m;

async function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const [code] = child.exitCode === null ? await once(child, 'exit') : [child.exitCode];
    return code as number | null;
  } finally {
    clearTimeout(killer);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readResults(dir: string) {
  return JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
    endReason: string;
    scenarios: { repetitions: unknown[] }[];
  };
}

describe('interrupting a run', { concurrent: true }, () => {
  it('SIGINT at a random moment writes results marked interrupted whose counts balance', async () => {
    const run = startRun();
    await run.until(serversUp);
    const delayMs = Math.round(Math.random() * 10_000);
    await sleep(delayMs);
    run.child.kill('SIGINT');
    const code = await exitOf(run.child, 40_000);
    const why = `SIGINT ${delayMs} ms after the servers were up\n${run.stderr()}`;
    expect(code, why).toBe(130);
    const results = readResults(run.dir);
    expect(results.endReason, why).toBe('interrupted');
    expect(resultsProblems(results), why).toEqual([]);
  }, 60_000);

  it('SIGKILL at a random moment after the first repetition leaves a valid, balanced checkpoint', async () => {
    const run = startRun();
    await run.until(firstRepetitionEnded);
    const delayMs = Math.round(Math.random() * 8_000);
    await sleep(delayMs);
    run.child.kill('SIGKILL');
    await exitOf(run.child, 10_000);
    const why = `SIGKILL ${delayMs} ms after the first repetition ended\n${run.stderr()}`;
    const checkpoint = readResults(run.dir);
    expect(checkpoint.endReason, why).toBe('running');
    expect(resultsProblems(checkpoint), why).toEqual([]);
    const repetitions = checkpoint.scenarios.reduce((sum, s) => sum + s.repetitions.length, 0);
    expect(repetitions, why).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('a second SIGINT quits at once, leaving a valid checkpoint', async () => {
    const run = startRun();
    await run.until(firstRepetitionEnded);
    run.child.kill('SIGINT');
    await sleep(50);
    const second = performance.now();
    run.child.kill('SIGINT');
    const code = await exitOf(run.child, 10_000);
    const quitMs = performance.now() - second;
    expect(code, run.stderr()).toBe(130);
    expect(quitMs).toBeLessThan(1_500);
    const results = readResults(run.dir);
    // Usually the last checkpoint; the final document only if the first SIGINT's drain beat the second.
    expect(['running', 'interrupted']).toContain(results.endReason);
    expect(resultsProblems(results)).toEqual([]);
  }, 60_000);
});
