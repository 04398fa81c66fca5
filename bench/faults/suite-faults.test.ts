import { describe, expect, it } from 'vitest';
import { resultsProblems } from '../results/validate-results.js';
import { SuiteRun } from '../run/run-suite.js';
import { parseSuite, SuiteError } from '../scenarios/suite.js';

function problemsOf(faults: unknown[]): readonly string[] {
  try {
    parseSuite({ name: 't', scenarios: [{ name: 's', rpc: 'classify', faults }] }, 'test');
  } catch (error) {
    if (error instanceof SuiteError) return error.problems;
    throw error;
  }
  return [];
}

describe('faults in a suite', () => {
  it('parse into milliseconds, downstream by default', () => {
    const suite = parseSuite(
      {
        name: 't',
        scenarios: [
          {
            name: 's',
            rpc: 'classify',
            faults: [
              { at: '1s', until: '3s', type: 'latency', latency: '200ms', jitter: '50ms' },
              { at: '5s', type: 'reset_peer', direction: 'upstream' },
            ],
          },
        ],
      },
      'test',
    );
    expect(suite.scenarios[0]!.faults).toEqual([
      {
        atMs: 1000,
        untilMs: 3000,
        direction: 'downstream',
        fault: { type: 'latency', latencyMs: 200, jitterMs: 50 },
      },
      { atMs: 5000, direction: 'upstream', fault: { type: 'reset_peer', timeoutMs: 0 } },
    ]);
  });

  it('report every problem at once', () => {
    expect(problemsOf([{ at: '1s', type: 'explode' }])).toEqual([
      '/scenarios/0/faults/0/type: must be one of latency, bandwidth, slicer, limit_data, timeout, reset_peer, slow_close, down',
    ]);
    expect(problemsOf([{ at: '1s', type: 'latency', latency: '1s', colour: 'red' }])).toEqual([
      '/scenarios/0/faults/0: unknown key "colour"',
    ]);
    expect(
      problemsOf([
        { at: '2s', until: '1s', type: 'latency', latency: '10ms', jitter: '20ms', bytes: 5 },
        { at: '1s', type: 'bandwidth' },
        { at: '1s', type: 'down', direction: 'upstream' },
      ]),
    ).toEqual([
      's: faults[0] (latency): "bytes" is not a setting of latency (it takes latency, jitter)',
      's: faults[0] (latency): until (1s) must come after at (2s)',
      's: faults[0] (latency): jitter must not exceed latency',
      's: faults[1] (bandwidth): needs "rate"',
      's: faults[2] (down): down acts on the whole proxy and takes no direction',
    ]);
  });

  it('resilience: client family only, every problem at once', () => {
    const problems = (() => {
      try {
        parseSuite(
          {
            name: 't',
            scenarios: [
              {
                name: 's',
                rpc: 'classify',
                resilience: { retry: { maxAttempts: 3, initialBackoff: '2s', maxBackoff: '1s' } },
              },
            ],
          },
          'test',
        );
      } catch (error) {
        if (error instanceof SuiteError) return error.problems;
      }
      return [];
    })();
    expect(problems).toEqual([
      "s: resilience sets the client libraries' behaviour: it needs family client",
      's: retry.maxBackoffMs must not be below retry.initialBackoffMs',
    ]);
  });

  it('a run routes the driver through the proxy and records the fault windows and the recovery', async () => {
    const suite = parseSuite(
      {
        name: 'faults',
        defaults: {
          warmup: 0,
          duration: '1s',
          repetitions: 1,
          connections: 2,
          concurrency: 2,
          timeout: '1s',
        },
        scenarios: [
          {
            name: 'down-and-up',
            rpc: 'classify',
            variants: ['grpc', 'rest-json-h1'],
            faults: [{ at: '200ms', until: '500ms', type: 'down' }],
          },
          {
            name: 'down-and-up-retried',
            rpc: 'classify',
            family: 'client',
            variants: ['grpc', 'rest-json-h1'],
            faults: [{ at: '200ms', until: '500ms', type: 'down' }],
            resilience: {
              retry: { maxAttempts: 5, initialBackoff: '100ms', maxBackoff: '500ms' },
              reconnect: { initialBackoff: '100ms', maxBackoff: '500ms' },
            },
          },
        ],
      },
      'test',
    );
    const results = await new SuiteRun({
      suite,
      host: '127.0.0.1',
      pin: false,
      signal: new AbortController().signal,
    }).run();
    expect(results.endReason).toBe('completed');
    // The machine's own steadiness is measured on every run; on a busy host it warns, rightly.
    expect(results.warnings.filter((w) => !w.startsWith('this machine is unsteady'))).toEqual([]);
    expect(resultsProblems(results)).toEqual([]);
    expect(results.scenarios).toHaveLength(4);
    for (const scenario of results.scenarios.filter((s) => s.scenario === 'down-and-up-retried')) {
      const { calls, attempts } = scenario.repetitions[0]!.attempts!;
      expect(attempts).toBeGreaterThan(calls);
      expect(scenario.counts.ok).toBeGreaterThan(0);
      expect(scenario.repetitions[0]!.faults!.windows).toHaveLength(1);
    }
    for (const scenario of results.scenarios.filter((s) => s.scenario === 'down-and-up')) {
      const faults = scenario.repetitions[0]!.faults!;
      expect(faults.windows).toMatchObject([
        { type: 'down', startMs: expect.any(Number), endMs: expect.any(Number) },
      ]);
      expect(faults.windows[0]!.startMs).toBeGreaterThanOrEqual(199);
      expect(faults.failuresByCause['UNAVAILABLE/connection-refused']).toBeGreaterThan(0);
      expect(faults.recoveredMs).toBeGreaterThanOrEqual(faults.windows[0]!.endMs!);
      expect(scenario.counts.failedByCode.UNAVAILABLE).toBeGreaterThan(0);
      expect(scenario.counts.ok).toBeGreaterThan(0);
    }
  }, 60_000);
});
