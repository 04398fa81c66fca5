/**
 * `advise` as a user runs it, on results written to disk: one JSON object with the fields the
 * issue names, a recommendation that follows the data, and bad usage reported all at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeResults } from '../../bench/results/write-results.js';
import { parseBandwidthMbps } from '../../cli/advise.js';
import { sweepResults, wanSizeFlip } from '../reports/fixtures/sweep-results.js';
import { runCli } from '../support/cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'grpc-rest-bench-advise-'));
writeResults(dir, sweepResults(wanSizeFlip));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('grpc-rest-bench advise', () => {
  it('prints one JSON object whose recommendation follows the data', async () => {
    const ask = (seconds: string) =>
      runCli([
        'advise',
        '--results',
        dir,
        '--audio-seconds',
        seconds,
        '--rtt',
        '50ms',
        '--bandwidth',
        '50Mbit/s',
        '--json',
      ]);
    const [short, long] = await Promise.all([ask('3'), ask('30')]);
    expect(short.code, short.stderr).toBe(0);
    expect(long.code, long.stderr).toBe(0);
    const a = JSON.parse(short.stdout);
    const b = JSON.parse(long.stdout);
    expect(a.variant).toBe('grpc');
    expect(b.variant).toBe('rest-binary-h1');
    expect(b.expected.p50Ms).toBeGreaterThan(190);
    expect(b.expected.p50Ms).toBeLessThan(230);
    expect(b.expected.bytesPerCall).toBeGreaterThan(960_000);
    expect(Array.isArray(b.settings) && b.settings.length > 0).toBe(true);
    expect(b.nearest[0]).toMatchObject({
      scenario: 'wan-30s',
      network: 'wan',
      distance: { rtt: 1, bandwidth: 1 },
    });
    expect(['high', 'medium', 'low']).toContain(b.confidence);
  });

  it('reports every bad option at once, with exit code 2', async () => {
    const result = await runCli(['advise', '--rtt', 'soon', '--bandwidth', '0Mbit/s', '--results', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--audio-seconds is required/);
    expect(result.stderr).toMatch(/--rtt must be a duration/);
    expect(result.stderr).toMatch(/--bandwidth must be a rate/);
  });

  it('reads link rates the way people write them', () => {
    expect(parseBandwidthMbps('20Mbit/s')).toBe(20);
    expect(parseBandwidthMbps('500 kbit/s')).toBe(0.5);
    expect(parseBandwidthMbps('1Gbps')).toBe(1000);
    expect(parseBandwidthMbps('50')).toBe(50);
    expect(parseBandwidthMbps('fast')).toBeUndefined();
    expect(parseBandwidthMbps('0')).toBeUndefined();
  });
});
