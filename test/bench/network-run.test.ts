import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsProblems } from '../../bench/results/validate-results.js';
import { runCli } from '../support/cli-process.js';

/** 3 s of audio (96 KB) over metro (10 ms), with default and tuned windows. */
const suite = {
  name: 'network-smoke',
  network: 'metro',
  tuning: 'both',
  defaults: { warmup: '300ms', duration: '1s', repetitions: 1, connections: 1, concurrency: 1 },
  scenarios: [
    { name: 'upload', rpc: 'transcribe', payload: 'short3s', variants: ['grpc-connect', 'rest-binary-h1'] },
  ],
};

interface ScenarioLike {
  scenario: string;
  variant: string;
  latencyUs: { p50: number };
  network: { name: string; path: { rttMs: number }; selfCheck: { pings: number } };
  tuning: { name: string; settings: { where: string; value: number | null }[] };
}

describe('grpc-rest-bench run over an emulated network', () => {
  it('puts every call on the path, checks the path, starts tuned servers and records both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'network-run-'));
    const file = join(dir, 'suite.json');
    writeFileSync(file, JSON.stringify(suite));
    const result = await runCli(['run', '--suite', file, '--out', dir], 120_000);
    expect(result.code, result.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(resultsProblems(results)).toEqual([]);
    const scenarios = results.scenarios as ScenarioLike[];
    expect(scenarios.map((s) => `${s.scenario}/${s.variant}/${s.tuning.name}`).sort()).toEqual([
      'upload-tuned/grpc-connect/tuned',
      'upload-tuned/rest-binary-h1/tuned',
      'upload/grpc-connect/default',
      'upload/rest-binary-h1/default',
    ]);
    for (const s of scenarios) {
      expect(s.network.name).toBe('metro');
      expect(s.network.selfCheck.pings).toBeGreaterThan(0);
      // No call is faster than the path's round trip: each one crossed it.
      expect(s.latencyUs.p50 / 1000).toBeGreaterThanOrEqual(10);
    }
    // 96 KB through a 64 KiB window needs a WINDOW_UPDATE's round trip on top of the request's own.
    const connectDefault = scenarios.find((s) => s.scenario === 'upload' && s.variant === 'grpc-connect')!;
    expect(connectDefault.latencyUs.p50 / 1000).toBeGreaterThanOrEqual(20);
    const tuned = scenarios.find((s) => s.scenario === 'upload-tuned')!;
    expect(tuned.tuning.settings.find((setting) => setting.where.startsWith('connect-node'))?.value).toBe(
      4 * 1024 * 1024,
    );
  }, 150_000);
});
