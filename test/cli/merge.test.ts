/**
 * Four drivers (`run --servers`, each a process of its own) load one running server at
 * the same time; `merge` must give counts that are the workers' sums and latencies that
 * are those of all their recorded samples together.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../bench/results/results-types.js';
import { resultsProblems } from '../../bench/results/validate-results.js';
import { runCli, type ServeProcess, startServe } from '../support/cli-process.js';

const workers = 4;

const suite = `name: merge-test
description: three short scenarios for the merge test
stt: reference
defaults:
  warmup: 50ms
  duration: 300ms
  repetitions: 2
  connections: 1
  concurrency: 2
  timeout: 5s
scenarios:
  - name: classify
    rpc: classify
    variants: [grpc, rest-json-h1]
  - name: classify-open
    rpc: classify
    variants: [grpc]
    load: { model: open, rate: 100 }
  - name: streaming
    rpc: streaming-transcribe
    payload: command
    pace: asap
    streams: 2
    concurrency: 1
    variants: [grpc]
`;

/**
 * Percentiles of HDR histograms added up here, independently of the merge code, in the
 * project's histogram configuration (bench/stats/latency-histogram.ts).
 */
function percentilesOfAll(encoded: readonly string[]) {
  const all = hdr.build({
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  for (const text of encoded) all.add(hdr.decodeFromCompressedBase64(text, 64));
  const at = (p: number) => Math.min(all.getValueAtPercentile(p), all.maxValue);
  return {
    count: all.totalCount,
    latencyUs: {
      p50: at(50),
      p90: at(90),
      p99: at(99),
      p999: at(99.9),
      p9999: at(99.99),
      max: all.maxValue,
    },
  };
}

describe('grpc-rest-bench merge', () => {
  let server: ServeProcess;
  let dir: string;
  let parts: Results[];
  let merged: Results;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'merge-test-'));
    writeFileSync(join(dir, 'suite.yaml'), suite);
    server = await startServe(['--grpc-port', '0', '--rest-port', '0', '--stt', 'reference']);
    const servers = `grpc=127.0.0.1:${server.grpcPort},rest=127.0.0.1:${server.restPort}`;
    const runs = await Promise.all(
      Array.from({ length: workers }, (_, i) =>
        runCli(
          ['run', '--suite', join(dir, 'suite.yaml'), '--servers', servers, '--out', join(dir, `w${i}`)],
          80_000,
        ),
      ),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    parts = runs.map((_, i) => JSON.parse(readFileSync(join(dir, `w${i}`, 'results.json'), 'utf8')));
    const merge = await runCli([
      'merge',
      ...parts.map((_, i) => join(dir, `w${i}`)),
      '--out',
      join(dir, 'merged'),
    ]);
    expect(merge.code, merge.stderr).toBe(0);
    merged = JSON.parse(readFileSync(join(dir, 'merged', 'results.json'), 'utf8'));
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes valid results, with every worker kept', () => {
    expect(resultsProblems(merged)).toEqual([]);
    expect(merged.workers?.map((w) => w.source)).toEqual(parts.map((_, i) => join(dir, `w${i}`)));
    expect(merged.scenarios.map((s) => `${s.scenario}/${s.variant}`)).toEqual([
      'classify/grpc',
      'classify/rest-json-h1',
      'classify-open/grpc',
      'streaming/grpc',
    ]);
    const report = readFileSync(join(dir, 'merged', 'report.md'), 'utf8');
    const section = report.slice(report.indexOf('## Workers'), report.indexOf('## Warnings'));
    expect(section.match(/^\| classify \| grpc \| \d \|/gm)).toHaveLength(workers);
    // The external servers' engine, from their info RPC.
    for (const scenario of merged.scenarios) expect(scenario.engine).toBe('reference');
  });

  it('sums counts, throughputs and connections, repetition by repetition', () => {
    for (const scenario of merged.scenarios) {
      const own = parts.map(
        (p) => p.scenarios.find((s) => s.scenario === scenario.scenario && s.variant === scenario.variant)!,
      );
      expect(scenario.connectionPolicy.connections).toBe(workers);
      for (const key of ['sent', 'ok', 'failed', 'timedOut', 'notSent', 'cancelled'] as const)
        expect(scenario.counts[key], `${scenario.scenario} ${key}`).toBe(
          own.reduce((sum, s) => sum + s.counts[key], 0),
        );
      expect(scenario.counts.ok).toBeGreaterThan(0);
      for (const repetition of scenario.repetitions) {
        const reps = own.map((s) => s.repetitions.find((r) => r.index === repetition.index)!);
        expect(repetition.counts.sent).toBe(reps.reduce((sum, r) => sum + r.counts.sent, 0));
        expect(repetition.rps).toBeCloseTo(
          reps.reduce((sum, r) => sum + r.rps, 0),
          6,
        );
        expect(repetition.bytes.written).toBe(reps.reduce((sum, r) => sum + r.bytes.written, 0));
      }
    }
    const open = merged.scenarios.find((s) => s.scenario === 'classify-open')!;
    expect(open.loadModel).toMatchObject({ model: 'open', rate: 100 * workers });
  });

  it("gives the percentiles of all the workers' samples together", () => {
    for (const scenario of merged.scenarios) {
      const own = parts.map(
        (p) => p.scenarios.find((s) => s.scenario === scenario.scenario && s.variant === scenario.variant)!,
      );
      const whole = percentilesOfAll(own.flatMap((s) => s.repetitions.map((r) => r.histogram)));
      expect(scenario.latencyUs, scenario.scenario).toEqual(whole.latencyUs);
      expect(hdr.decodeFromCompressedBase64(scenario.histogram, 64).totalCount).toBe(whole.count);
      expect(whole.count).toBeGreaterThan(0);
      for (const repetition of scenario.repetitions) {
        const reps = own.map((s) => s.repetitions.find((r) => r.index === repetition.index)!);
        expect(repetition.latencyUs).toEqual(percentilesOfAll(reps.map((r) => r.histogram)).latencyUs);
        if (scenario.scenario === 'classify-open')
          expect(repetition.latencyUsUncorrected).toEqual(
            percentilesOfAll(reps.map((r) => r.histogramUncorrected!)).latencyUs,
          );
        if (scenario.scenario === 'streaming') {
          expect(repetition.streaming!.chunks.sent).toBe(
            reps.reduce((sum, r) => sum + r.streaming!.chunks.sent, 0),
          );
          expect(repetition.streaming!.messageLatencyUs).toEqual(
            percentilesOfAll(reps.map((r) => r.streaming!.messageLatencyHistogram)).latencyUs,
          );
        }
      }
    }
  });

  it('rejects inputs that do not match, naming every problem, with exit 2', async () => {
    const other = JSON.parse(JSON.stringify(parts[1])) as { suite: { name: string }; scenarios: unknown[] };
    other.suite.name = 'another-suite';
    other.scenarios.pop();
    writeFileSync(join(dir, 'other.json'), JSON.stringify(other));
    const [result, one] = await Promise.all([
      runCli(['merge', join(dir, 'w0'), join(dir, 'other.json'), join(dir, 'missing')]),
      runCli(['merge', join(dir, 'w0')]),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing: no results.json there');
    expect(result.stderr).toContain('suite "another-suite"');
    expect(result.stderr).toContain('has no streaming/grpc');
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('at least 2 results');
  });
});
