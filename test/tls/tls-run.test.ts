/**
 * A suite scenario with `tls: both` runs plaintext and over TLS side by side, and the
 * results say which was which, with the TLS layer's bytes apart from the protocol's.
 * One variant (two server processes) keeps it short: every server variant's TLS, through
 * the clients and the drivers, is covered by tls-variants.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Results } from '../../bench/results/results-types.js';
import { resultsProblems } from '../../bench/results/validate-results.js';
import { runCli } from '../support/cli-process.js';

const suite = {
  name: 'tls-smoke',
  defaults: { warmup: '200ms', duration: '500ms', repetitions: 1, connections: 1, concurrency: 2 },
  scenarios: [
    {
      name: 'classify',
      rpc: 'classify',
      variants: ['grpc'],
      tls: 'both',
    },
  ],
};

it('runs a scenario with and without TLS and records which', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-run-'));
  const file = join(dir, 'suite.json');
  writeFileSync(file, JSON.stringify(suite));
  const result = await runCli(['run', '--suite', file, '--out', dir, '--json'], 120_000);
  expect(result.code, result.stderr).toBe(0);
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
  expect(resultsProblems(results)).toEqual([]);
  expect(results.scenarios.map((s) => `${s.scenario}/${s.variant}/${s.tls}`).sort()).toEqual(
    ['classify/grpc/false', 'classify-tls/grpc/true'].sort(),
  );
  for (const scenario of results.scenarios) {
    expect(scenario.counts.ok, `${scenario.scenario}/${scenario.variant}`).toBeGreaterThan(0);
    expect(scenario.counts.failed).toBe(0);
    for (const repetition of scenario.repetitions) {
      if (scenario.tls) {
        // Every answer comes in at least one TLS record: 5 bytes of header and a 16-byte tag.
        expect(repetition.bytes.tls!.read).toBeGreaterThanOrEqual(21 * scenario.counts.ok * 0.9);
        expect(repetition.bytes.tls!.written).toBeGreaterThan(0);
      } else expect(repetition.bytes.tls).toBeUndefined();
    }
  }
}, 150_000);
