import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-process.js';

/**
 * One cheap RPC, one request in flight: a 2 ms slow-down is several times its latency.
 * The minimum effect is 25%: on a shared 2-core machine two runs of the same build can
 * drift apart by more than their own repetitions show, and this test is about the gate
 * seeing a real slow-down, not about the machine's weather. Two variants, not every one:
 * each more is three more figures that the same-build run can drift on by chance.
 */
const suite = {
  name: 'gate',
  defaults: { warmup: '300ms', duration: '1500ms', repetitions: 4, connections: 1, concurrency: 1 },
  scenarios: [{ name: 'classify', rpc: 'classify', variants: ['grpc', 'rest-json-h1'] }],
};

describe('grpc-rest-bench compare', () => {
  it('finds no regression between two runs of the same build, and finds an injected 2 ms server delay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'compare-'));
    const suiteFile = join(dir, 'suite.json');
    writeFileSync(suiteFile, JSON.stringify(suite));
    const runTo = async (name: string, extra: string[] = []) => {
      const result = await runCli(['run', '--suite', suiteFile, '--out', join(dir, name), ...extra], 120_000);
      expect(result.code, result.stderr).toBe(0);
      return join(dir, name);
    };
    const baseline = await runTo('baseline');
    const same = await runTo('same');
    const slowed = await runTo('slowed', ['--inject-server-delay', '2ms']);

    const unchanged = await runCli(['compare', baseline, same, '--threshold', '25%']);
    expect(unchanged.code, unchanged.stdout).toBe(0);
    expect(unchanged.stdout).toMatch(/no regression/);

    const regressed = await runCli(['compare', baseline, slowed, '--threshold', '25%']);
    expect(regressed.code, regressed.stdout).toBe(4);
    expect(regressed.stdout).toMatch(/regression/);
  }, 300_000);

  it('refuses a run spread that does not name every figure, saying every problem at once', async () => {
    const result = await runCli([
      'compare',
      'nowhere-a',
      'nowhere-b',
      '--run-spread',
      'throughput=5%,relative=3%,relative-p50=x,relative-p50=2%',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"relative=3%" is not FIGURE=PERCENT/);
    expect(result.stderr).toMatch(/"x" is not a percentage/);
    expect(result.stderr).toMatch(/relative-p50 is given twice/);
    expect(result.stderr).toMatch(/give every figure \(missing p50, p99\)/);
  });
});
