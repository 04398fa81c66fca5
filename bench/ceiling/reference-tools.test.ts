import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPair, median, verdictOf } from './ceiling-table.js';
import {
  parseH2load,
  parseWrk,
  runWrk,
  toolAvailable,
  wrkRequestScript,
  wrkScript,
} from './reference-tools.js';

const h2loadOutput = `starting benchmark...
spawning thread #0: 8 total client(s). Timing-based test with 1s warm-up time and 5s main duration
Warm-up phase is over for thread #0.
Main benchmark duration is over for thread #0. Stopping all clients.

finished in 6.00s, 7412.40 req/s, 1.17MB/s
requests: 37062 total, 37126 started, 37062 done, 37060 succeeded, 2 failed, 1 errored, 0 timeout
status codes: 37060 2xx, 0 3xx, 0 4xx, 2 5xx
traffic: 5.83MB (6112339) total, 362.04KB (370732) headers (space savings 91.40%), 4.74MB (4966308) data
`;

const wrkOutput = `Running 5s test @ http://127.0.0.1:8080/v1/classify
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.26ms    2.02ms  27.80ms   87.29%
    Req/Sec     6.27k   412.55     6.90k    72.00%
  31189 requests in 5.00s, 8.14MB read
  Non-2xx or 3xx responses: 3
  Socket errors: connect 0, read 1, write 0, timeout 0
Requests/sec:   6237.71
Transfer/sec:      1.63MB
`;

describe('reading the reference tools', () => {
  it('h2load: req/s of the main window, and its failures', () => {
    const run = parseH2load(h2loadOutput);
    expect(run.requestsPerSecond).toBe(7412.4);
    expect(run.unsuccessful).toBe(3);
    expect(run.notes.join(' ')).toMatch(/2 failed, 1 errored/);
    expect(run.notes.join(' ')).toMatch(/2 5xx/);
  });

  it('wrk: req/s, non-2xx answers and socket errors', () => {
    const run = parseWrk(wrkOutput);
    expect(run.requestsPerSecond).toBe(6237.71);
    expect(run.unsuccessful).toBe(4);
    expect(run.notes.join(' ')).toMatch(/3 non-2xx/);
  });

  it('says what it could not read', () => {
    expect(() => parseH2load('connect failed')).toThrow(/req\/s/);
    expect(() => parseWrk('unable to connect')).toThrow(/Requests\/sec/);
  });

  it('quotes a JSON body for Lua as it is', () => {
    const script = wrkScript('{"text":"a \\"quoted\\" word"}');
    expect(script).toContain('wrk.body = [==[{"text":"a \\"quoted\\" word"}]==]');
    expect(script).toContain('wrk.method = "POST"');
  });
});

describe('the verdict', () => {
  const run = (requestsPerSecond: number) => ({ requestsPerSecond, unsuccessful: 0, notes: [] });

  it('takes the median of the per-repetition ratios', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const pair = {
      title: 't',
      ours: 'a',
      reference: 'b',
      windowS: 5,
      oursRuns: [run(90), run(50), run(100)],
      referenceRuns: [run(100), run(100), run(100)],
    };
    expect(verdictOf(pair, 0.9)).toEqual({ ratios: [0.9, 0.5, 1], medianRatio: 0.9, pass: true });
    expect(verdictOf(pair, 0.95).pass).toBe(false);
    expect(formatPair(pair, 0.9)).toMatch(/median ratio 0\.900 PASS/);
    expect(formatPair(pair, 0.9)).not.toContain('server µs/req');
  });

  it('shows what a request cost the server, and how busy it was, where that was measured', () => {
    // 100 req/s for 5 s on 450 ms of server CPU: 900 µs a request, 9% of a core.
    const withServer = (rps: number, serverCpuUs: number) => ({ ...run(rps), serverCpuUs });
    const table = formatPair(
      {
        title: 't',
        ours: 'a',
        reference: 'b',
        windowS: 5,
        oursRuns: [withServer(100, 450_000)],
        referenceRuns: [withServer(200, 5_000_000)],
      },
      0.9,
    );
    expect(table).toContain('server µs/req and busy: ours, ref');
    expect(table).toMatch(/0\.500 +\s+ 900\.0 +9% +5000\.0 +100%/);
  });
});

describe.skipIf(!toolAvailable('wrk'))('wrkRequestScript', () => {
  it('makes wrk send the exact bytes, any byte value included', async () => {
    const body = Buffer.from([0, 1, 10, 13, 34, 92, 105, 200, 255, 0x80, 48, 49]);
    const bodies: Buffer[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (bodies.length === 0) bodies.push(Buffer.concat(chunks), Buffer.from(request.url ?? ''));
        response.end('ok');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const dir = mkdtempSync(join(tmpdir(), 'wrk-script-'));
    try {
      const script = join(dir, 'request.lua');
      const headers = [['content-type', 'application/grpc-web+proto']] as const;
      writeFileSync(script, wrkRequestScript({ path: '/speech.v1.SpeechService/Classify', headers, body }));
      const port = (server.address() as AddressInfo).port;
      await runWrk(
        { port, connections: 1, streams: 1, warmupS: 0, durationS: 1, pinTo: undefined },
        script,
        1,
      );
      expect(bodies[0]).toEqual(body);
      expect(bodies[1]!.toString()).toBe('/speech.v1.SpeechService/Classify');
    } finally {
      server.closeAllConnections();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
