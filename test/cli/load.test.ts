import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type ServeProcess, startServe } from '../support/cli-process.js';

describe('grpc-rest-bench load', () => {
  let server: ServeProcess;
  beforeAll(async () => {
    server = await startServe(['--grpc-port', '0', '--rest-port', '0', '--stt', 'reference']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each([
    ['grpc', 'classify', []],
    ['rest-json-h1', 'transcribe', ['--rate', '200']],
  ])('drives a running server (%s %s) and prints one balanced JSON object', async (target, rpc, extra) => {
    const result = await runCli([
      'load',
      ...['--target', target, '--rpc', rpc, '--connections', '2', '--concurrency', '4', '--duration', '1s'],
      ...[
        '--warmup',
        '200ms',
        '--grpc-port',
        String(server.grpcPort),
        '--rest-port',
        String(server.restPort),
      ],
      '--json',
      ...extra,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    for (const key of ['rps', 'sent', 'ok', 'failed', 'timedOut', 'notSent'])
      expect(typeof summary[key]).toBe('number');
    for (const key of ['p50', 'p90', 'p99', 'p999', 'max']) expect(summary.latencyUs[key]).toBeGreaterThan(0);
    expect(summary.sent).toBe(
      summary.ok + summary.failed + summary.timedOut + summary.notSent + summary.cancelled,
    );
    expect(summary.ok).toBeGreaterThan(0);
    if (extra.length > 0) expect(summary.latencyUsUncorrected).toBeDefined();
  });

  it('refuses a concurrency that does not divide among the connections', async () => {
    const result = await runCli([
      'load',
      '--target',
      'grpc',
      '--rpc',
      'classify',
      '--connections',
      '3',
      '--concurrency',
      '4',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/multiple of --connections/);
  });
});
