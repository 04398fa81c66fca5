import { describe, expect, it } from 'vitest';
import { namedProfile } from '../bench/network/network-profile.js';
import type { Results } from '../bench/results/results-types.js';
import { tuningSettings } from '../servers/tuning.js';
import { networkTuningLines } from './network-tuning-lines.js';

/** Just the fields the lines read, for two variants of one upload scenario on `wan`. */
function results(tuning: 'default' | 'tuned', passed: boolean): Results {
  const network = {
    ...namedProfile('wan'),
    selfCheck: {
      rttMs: 50.1,
      upMbps: 49.8,
      downMbps: passed ? 49.9 : 26.6,
      passed,
      problems: passed ? [] : ['x'],
    },
  };
  const scenario = (variant: string, p50Ms: number) => ({
    scenario: 'upload',
    variant,
    rpc: 'transcribe',
    network,
    tuning: { name: tuning, settings: tuningSettings(tuning) },
    latencyUs: { p50: p50Ms * 1000 },
  });
  return { scenarios: [scenario('grpc', 936), scenario('rest-binary-h1', 212)] } as unknown as Results;
}

describe('network and tuning lines of the environment', () => {
  it('count an HTTP/2 call’s round trips at 64 KiB windows and say what lifts them', () => {
    const lines = networkTuningLines(results('default', true));
    const note = lines.find((line) => line.label === '64 KiB windows')!.value;
    expect(note).toContain('grpc on upload: p50 936 ms = 18.7 round trips of 50 ms');
    expect(note).toMatch(/Tuning tuned lifts it/);
    expect(note).toMatch(/grpc-js 1.14's server has no setting/);
    expect(note).not.toContain('rest-binary-h1');
    expect(lines.find((line) => line.label === 'networks')!.value).toMatch(/^wan \(50 ms RTT.*within 10%/);
  });

  it('list every tuned setting, the one that cannot be set included, and flag a missed self-check', () => {
    const lines = networkTuningLines(results('tuned', false));
    const tuning = lines.find((line) => line.label === 'tuning')!.value;
    expect(tuning).toContain('connect-node server (grpc-connect) settings.initialWindowSize = 4194304');
    expect(tuning).toContain('grpc-js server (grpc): cannot be raised');
    expect(lines.find((line) => line.label === 'networks')!.value).toContain('MISSED');
  });

  it('add nothing to a loopback run with default tuning', () => {
    const loopback = {
      scenarios: [{ scenario: 'a', variant: 'grpc', rpc: 'classify', network: { name: 'loopback' } }],
    } as unknown as Results;
    expect(networkTuningLines(loopback)).toEqual([]);
  });
});
