import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-process.js';

interface Timing {
  protobufNs: number;
  jsonNs: number;
  jsonOverProtobuf: number;
}

interface Report {
  environment: { node: string; cpuModel: string; cores: number };
  gzipLevel: number;
  messages: {
    id: string;
    direction: string;
    payload: string;
    sizes: { protobuf: number; json: number; gzipProtobuf: number; gzipJson: number };
    timings: { encode: Timing; decode: Timing; rounds: number };
    verdict: { holds: boolean; holdsGzipped: boolean };
  }[];
  notes: string[];
}

describe('grpc-rest-bench sizes', () => {
  it('prints one JSON document on stdout with --json, progress on stderr', async () => {
    // The command times every message for about 10 s; a shared machine may take longer.
    const result = await runCli(['sizes', '--json'], 90_000);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.environment.node).toBe(process.version);
    expect(report.environment.cores).toBeGreaterThan(0);
    expect(report.gzipLevel).toBe(6);
    expect(report.messages.map((m) => `${m.direction} ${m.id}`)).toEqual([
      'request classify-short',
      'request classify-long',
      'request transcribe-3s',
      'request transcribe-30s',
      'request pipeline-3s',
      'response classify-short',
      'response classify-long',
      'response transcribe-3s',
      'response transcribe-30s',
      'response pipeline-3s',
    ]);
    for (const m of report.messages) {
      expect(m.sizes.protobuf).toBeGreaterThan(0);
      expect(m.sizes.json).toBeGreaterThan(0);
      for (const t of [m.timings.encode, m.timings.decode]) {
        expect(t.protobufNs).toBeGreaterThan(0);
        expect(t.jsonNs).toBeGreaterThan(0);
      }
    }
    const audio = report.messages.filter((m) => m.payload === 'audio bytes');
    expect(audio).toHaveLength(3);
    expect(audio.every((m) => !m.verdict.holds)).toBe(true);
    expect(report.notes.length).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/sizes: \[10\/10\]/);
  }, 120_000);

  it('refuses an unknown flag with exit code 2', async () => {
    const result = await runCli(['sizes', '--csv']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--csv'/);
    expect(result.stdout).toBe('');
  });
});
