import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { balanceProblems } from '../../bench/accounting/request-counts.js';
import { resultsProblems } from '../../bench/results/validate-results.js';
import { runCli } from '../support/cli-process.js';

const smallSuite = {
  name: 'smoke',
  description: 'two short scenarios, both protocols',
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
    { name: 'streaming', rpc: 'streaming-transcribe', payload: 'short3s', pace: 'asap', streams: 2 },
  ],
};

function suiteFile(dir: string, suite: object): string {
  const file = join(dir, 'suite.json');
  writeFileSync(file, JSON.stringify(suite));
  return file;
}

describe('grpc-rest-bench run', () => {
  it('runs a suite against servers in their own processes and writes valid, balanced results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-'));
    const result = await runCli(['run', '--suite', suiteFile(dir, smallSuite), '--out', dir], 120_000);
    expect(result.code, result.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(resultsProblems(results)).toEqual([]);
    expect(results.endReason).toBe('completed');
    // 2 classify + 2 open-loop transcribe + 3 streaming (grpc, grpc-connect, rest-binary-h1).
    expect(results.scenarios).toHaveLength(7);
    for (const scenario of results.scenarios) {
      expect(scenario.repetitions).toHaveLength(2);
      expect(scenario.counts.ok).toBeGreaterThan(0);
      expect(scenario.counts.failed).toBe(0);
      expect(scenario.engine).toBe('reference');
    }
    const open = results.scenarios.filter(
      (s: { loadModel: { model: string } }) => s.loadModel.model === 'open',
    );
    for (const scenario of open) expect(scenario.latencyUsUncorrected).toBeDefined();
    const streaming = results.scenarios.filter((s: { rpc: string }) => s.rpc === 'streaming-transcribe');
    expect(streaming.map((s: { variant: string }) => s.variant)).toEqual([
      'grpc',
      'grpc-connect',
      'rest-binary-h1',
    ]);
    for (const scenario of streaming) {
      // Per stream (the scenario's counts) and per chunk message, every one accounted.
      expect(balanceProblems(scenario.counts)).toEqual([]);
      expect(scenario.counts.ok).toBe(4);
      for (const repetition of scenario.repetitions) {
        expect(repetition.streaming.timeToFirstPartialUs.p50).toBeGreaterThan(0);
        expect(repetition.latencyUs.p50).toBe(repetition.streaming.timeToFirstPartialUs.p50);
        expect(balanceProblems(repetition.streaming.chunks)).toEqual([]);
        expect(repetition.streaming.chunks.ok).toBe(repetition.streaming.chunks.sent);
        const { received, partials, finals } = repetition.streaming.responses;
        expect(received).toBe(partials + finals);
        expect(finals).toBe(2);
      }
    }
    expect(results.comparisons.length).toBeGreaterThan(0);
    expect(result.stdout).toMatch(/classify\s+grpc\s+grpc-h2/);
  }, 150_000);

  it('rejects a suite with every problem listed at once, exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-'));
    const bad = {
      name: 'bad',
      extra: true,
      scenarios: [{ name: 'X', rpc: 'nope', load: { model: 'open' } }],
    };
    const result = await runCli(['run', '--suite', suiteFile(dir, bad), '--out', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown key "extra"/);
    expect(result.stderr).toMatch(/rpc: must be one of/);
    expect(result.stderr).toMatch(/required property 'rate'/);
  });
});
