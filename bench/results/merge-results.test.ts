import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../accounting/request-counts.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import { mulberry32 } from '../stats/prng.js';
import { mergeProblems, mergeRepetition } from './merge-results.js';
import type { Repetition, Results, ScenarioResult } from './results-types.js';

/** A repetition as a driver would save it: its samples recorded, then encoded. */
function repetitionOf(samples: readonly number[]): Repetition {
  const histogram = LatencyHistogram.create();
  for (const sample of samples) histogram.recordUs(sample);
  return {
    index: 0,
    orderPosition: 0,
    counts: { ...emptyCounts(), sent: samples.length + 1, ok: samples.length, cancelled: 1 },
    rps: samples.length / 2,
    durationMs: 2000,
    latencyUs: histogram.percentiles(),
    histogram: histogram.encode(),
    timeline: [{ second: 0, completed: samples.length, failed: 0, p99Us: histogram.percentileUs(99) }],
    bytes: {
      written: 100,
      read: 60,
      breakdown: {
        written: { body: 70, framing: 10, headers: 15, control: 5 },
        read: { body: 40, framing: 5, headers: 10, control: 5 },
      },
    },
    resources: {
      serverCpuUsPerRequest: 0,
      serverPeakRssBytes: 0,
      driverCpu: 0.5,
      driverEventLoopP99Ms: 1,
      driverSaturated: false,
    },
  };
}

describe('mergeRepetition', () => {
  it("gives the percentiles of one histogram of every worker's samples", () => {
    const random = mulberry32(7);
    // Four workers with different latency spreads, long tails included.
    const samples = [0, 1, 2, 3].map((w) =>
      Array.from({ length: 5_000 + w * 1_000 }, () => Math.round(200 + (w + 1) * 300 * -Math.log(random()))),
    );
    const merged = mergeRepetition(samples.map(repetitionOf));
    const all = LatencyHistogram.create();
    for (const sample of samples.flat()) all.recordUs(sample);
    // One driver recording them all would save this: the same histogram, encoded.
    const single = LatencyHistogram.decode(all.encode());
    expect(merged.latencyUs).toEqual(single.percentiles());
    const decoded = LatencyHistogram.decode(merged.histogram);
    expect(decoded.count).toBe(samples.flat().length);
    for (const p of [1, 25, 50, 75, 90, 99, 99.9, 99.99])
      expect(decoded.percentileUs(p)).toBe(all.percentileUs(p));
    expect(merged.counts).toEqual({
      ...emptyCounts(),
      sent: samples.flat().length + 4,
      ok: samples.flat().length,
      cancelled: 4,
    });
    expect(merged.rps).toBe(samples.flat().length / 2);
    expect(merged.bytes).toEqual({
      written: 400,
      read: 240,
      breakdown: {
        written: { body: 280, framing: 40, headers: 60, control: 20 },
        read: { body: 160, framing: 20, headers: 40, control: 20 },
      },
    });
    expect(merged.timeline).toEqual([
      {
        second: 0,
        completed: samples.flat().length,
        failed: 0,
        p99Us: Math.max(...samples.map((s) => repetitionOf(s).timeline[0]!.p99Us)),
      },
    ]);
  });
});

function resultsOf(
  name: string,
  scenarios: Array<Partial<ScenarioResult>>,
  endReason = 'completed',
): Results {
  return {
    suite: { name, description: '', stt: 'reference', pinned: false, thresholds: [] },
    endReason,
    warnings: [],
    scenarios: scenarios.map((s) => ({
      scenario: 'classify',
      variant: 'grpc',
      rpc: 'classify',
      payload: 'command',
      family: 'transport',
      driver: 'grpc-h2',
      engine: 'reference',
      loadModel: { model: 'closed' },
      connectionPolicy: { connections: 1, inFlightPerConnection: 2 },
      warmupMs: 100,
      durationMs: 500,
      repetitions: [repetitionOf([100])],
      ...s,
    })),
  } as unknown as Results;
}

describe('mergeProblems', () => {
  it('accepts workers of the same suite', () => {
    const a = resultsOf('quick', [{}, { variant: 'rest-json-h1' }]);
    expect(
      mergeProblems([
        { source: 'a', results: a },
        { source: 'b', results: a },
      ]),
    ).toEqual([]);
  });

  it('names every problem at once', () => {
    const a = resultsOf('quick', [{}, { variant: 'rest-json-h1' }]);
    const b = resultsOf('full', [{ durationMs: 1000 }, { variant: 'rest-proto-h1' }], 'interrupted');
    const problems = mergeProblems([
      { source: 'a', results: a },
      { source: 'b', results: b },
    ]);
    expect(problems).toEqual([
      'b: the run ended interrupted; merge only completed runs',
      'b: suite "full", not "quick" as in a',
      'b: has no classify/rest-json-h1 (a has)',
      'b: classify/grpc was measured differently from a (rpc, payload, driver, engine, load, connections, durations or repetitions differ)',
      'b: has classify/rest-proto-h1, which a has not',
    ]);
    expect(mergeProblems([{ source: 'a', results: a }])).toEqual(['merge needs at least 2 results, not 1']);
  });
});
