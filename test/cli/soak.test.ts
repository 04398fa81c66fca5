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
        expect(figures.heapTotalBytes).toBeGreaterThanOrEqual(figures.heapUsedBytes);
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
      // After a full collection, the heap in use is far below RSS (engines, code, buffers).
      expect(server.heapUsedGrowth!.endBytes).toBeGreaterThan(0);
      expect(server.heapUsedGrowth!.endBytes).toBeLessThan(server.rssGrowth!.endBytes);
      expect(server.sampledRssGrowth!.samplesPerStretch).toBeGreaterThanOrEqual(1);
      // In use: RSS less V8's empty heap, so never above RSS, and above the heap in use.
      expect(server.inUseGrowth!.endBytes).toBeLessThanOrEqual(server.rssGrowth!.endBytes);
      expect(server.inUseGrowth!.endBytes).toBeGreaterThan(server.heapUsedGrowth!.endBytes);
    }
    const grew = soak.servers.some((s) => s.inUseGrowth!.percent >= 10);
    expect(soak.passed).toBe(!grew);
    expect(result.code).toBe(grew ? 3 : 0);

    // What a terminal shows without --json, from the same document.
    const summary = formatSoak(soak);
    expect(summary).toMatch(
      /^server\s+in use after warm-up\s+at end\s+growth\s+RSS after warm-up\s+at end\s+growth\s+heap after warm-up\s+at end\s+sampled RSS growth\s+peak RSS/m,
    );
    expect(summary).toMatch(/^grpc\s+\d+\.\d MB\s+\d+\.\d MB\s+[+-]\d+\.\d%\s+\d+\.\d MB/m);
    expect(summary).toMatch(/^rest-json-h1 transcribe\s+20\s/m);
    expect(summary).toMatch(
      /^over time:\nt\s+grpc RSS\s+grpc V8 heap committed\s+grpc loop p99 ms\s+rest RSS/m,
    );
    expect(summary).toMatch(
      grew ? /FAILED: \w+ memory in use grew/ : /passed: memory in use grew less than 10% after warm-up/,
    );
  }, 60_000);

  it('lists every bad option at once, exit code 2', async () => {
    const result = await runCli(['soak', '--duration', '5x', '--rate', '0', '--max-rss-growth', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--duration must look like 10m/);
    expect(result.stderr).toMatch(/--rate must be a whole number/);
    expect(result.stderr).toMatch(/--max-rss-growth must be a positive percentage/);
  });
});
