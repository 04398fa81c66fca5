import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { balanceProblems } from '../../bench/accounting/request-counts.js';
import { formatSoak } from '../../bench/soak/format-soak.js';
import type { SoakResults } from '../../bench/soak/soak-types.js';
import { runCli } from '../support/cli-process.js';

describe('grpc-rest-bench soak', () => {
  it('runs mixed load against both servers and reports RSS and event-loop delay over time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soak-'));
    const result = await runCli(['soak', '--duration', '5s', '--rate', '20', '--json', '--out', dir], 50_000);
    // 0 or 3: five seconds are too short to promise anything about growth, only about the verdict's link to it.
    expect([0, 3], result.stderr).toContain(result.code);
    const soak = JSON.parse(result.stdout) as SoakResults;
    expect(JSON.parse(readFileSync(join(dir, 'soak.json'), 'utf8'))).toEqual(soak);
    expect(soak.kind).toBe('soak');
    expect(soak.endReason).toBe('completed');
    expect(soak.settings).toMatchObject({ durationMs: 5000, warmupMs: 1000, maxRssGrowthPercent: 10 });

    expect(soak.streams.map((s) => `${s.variant} ${s.rpc}`)).toEqual([
      'grpc classify',
      'grpc transcribe',
      'rest-json-h1 classify',
      'rest-json-h1 transcribe',
    ]);
    for (const stream of soak.streams) {
      expect(balanceProblems(stream.counts)).toEqual([]);
      expect(stream.counts.ok).toBeGreaterThan(0);
      expect(stream.counts.failed).toBe(0);
    }

    expect(soak.samples.length).toBeGreaterThanOrEqual(10);
    for (const sample of soak.samples) {
      for (const server of ['grpc', 'rest'] as const) {
        const figures = sample.servers[server]!;
        expect(figures.rssBytes).toBeGreaterThan(10 * 2 ** 20);
        expect(figures.heapUsedBytes).toBeGreaterThan(0);
        expect(figures.eventLoopDelayMs.p99).toBeGreaterThanOrEqual(figures.eventLoopDelayMs.p50);
        expect(figures.eventLoopDelayMs.max).toBeGreaterThanOrEqual(figures.eventLoopDelayMs.p99);
      }
    }
    // Over time: the samples are spread over the whole load.
    expect(soak.samples.at(-1)!.atMs - soak.samples[0]!.atMs).toBeGreaterThan(3500);

    expect(soak.servers.map((s) => s.server)).toEqual(['grpc', 'rest']);
    for (const server of soak.servers) {
      expect(server.rssGrowth!.afterWarmupBytes).toBeGreaterThan(0);
      expect(server.peakRssBytes).toBeGreaterThanOrEqual(server.rssGrowth!.endBytes);
    }
    const grew = soak.servers.some((s) => s.rssGrowth!.percent >= 10);
    expect(soak.passed).toBe(!grew);
    expect(result.code).toBe(grew ? 3 : 0);

    // What a terminal shows without --json, from the same document.
    const summary = formatSoak(soak);
    expect(summary).toMatch(
      /^server\s+RSS after warm-up\s+RSS at end\s+growth\s+peak RSS\s+heap after warm-up/m,
    );
    expect(summary).toMatch(/^grpc\s+\d+\.\d MB\s+\d+\.\d MB\s+[+-]\d+\.\d%/m);
    expect(summary).toMatch(/^rest-json-h1 transcribe\s+20\s/m);
    expect(summary).toMatch(/^over time:\nt\s+grpc RSS\s+grpc loop p99 ms\s+rest RSS/m);
    expect(summary).toMatch(grew ? /FAILED: \w+ RSS grew/ : /passed: RSS grew less than 10% after warm-up/);
  }, 60_000);

  it('lists every bad option at once, exit code 2', async () => {
    const result = await runCli(['soak', '--duration', '5x', '--rate', '0', '--max-rss-growth', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--duration must look like 10m/);
    expect(result.stderr).toMatch(/--rate must be a whole number/);
    expect(result.stderr).toMatch(/--max-rss-growth must be a positive percentage/);
  });
});
