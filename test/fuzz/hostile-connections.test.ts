import { once } from 'node:events';
import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  constants,
  connect as http2Connect,
} from 'node:http2';
import { connect as netConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRequestPayload, type RequestPayload } from '../../bench/drivers/request-payloads.js';
import type { ServerProcess } from '../../bench/run/server-process.js';
import { alive, mib, retainedMemory, startFuzzServer } from './fuzz-servers.js';
import { GrpcRawPool, RestRawClient } from './raw-clients.js';

/**
 * Issue #8, hostile connections: slow headers and slow bodies (slowloris), huge
 * headers, idle streams and idle connections, and HTTP/2 rapid reset
 * (CVE-2023-44487: streams opened and cancelled at once, thousands of them). The
 * servers run as `serve` processes with short connection limits, so that each limit
 * can be seen to fire; afterwards every server must still answer a valid call.
 */
const limits = { headersMs: 500, requestMs: 1_500, idleMs: 1_000, ageMs: 3_000, graceMs: 500 };
const serveArgs = [
  '--headers-timeout-ms',
  String(limits.headersMs),
  '--request-timeout-ms',
  String(limits.requestMs),
  '--idle-timeout-ms',
  String(limits.idleMs),
  '--max-connection-age-ms',
  String(limits.ageMs),
  '--connection-age-grace-ms',
  String(limits.graceMs),
];
/**
 * How long after a rapid-reset flood a valid call may wait. Without its stream guard
 * (servers/connect/stream-guard.ts) connect-node started a call for every cancelled
 * stream and kept real calls waiting 10-16 s per 10,000 on this machine.
 */
const maxOutageMs = 3_000;
/** Timers fire late on a loaded 2-core machine; this much is allowed past each limit. */
const slackMs = 2_500;

let rest: ServerProcess;
let restH2: ServerProcess;
let grpc: ServerProcess;
let connect: ServerProcess;
let classify: RequestPayload;

beforeAll(async () => {
  [rest, restH2, grpc, connect] = await Promise.all([
    startFuzzServer('rest', serveArgs),
    startFuzzServer('rest-h2', serveArgs),
    startFuzzServer('grpc', serveArgs),
    startFuzzServer('connect', serveArgs),
  ]);
  classify = buildRequestPayload({ rpc: 'classify' });
});
afterAll(async () => {
  await Promise.all([rest?.stop(), restH2?.stop(), grpc?.stop(), connect?.stop()]);
});

async function restStillServes(): Promise<void> {
  const client = new RestRawClient(rest.port, 1);
  const outcome = await client.post(classify.restPath, classify.jsonBody, 'application/json', 5_000);
  client.close();
  expect(outcome.httpStatus).toBe(200);
}

async function grpcStillServes(server: ServerProcess): Promise<void> {
  const pool = new GrpcRawPool(server.port, 1);
  const outcome = await pool.call(classify.grpcPath, classify.grpcFrame, 5_000);
  pool.close();
  expect(outcome.code).toBe('OK');
}

/** Writes `pieces` one at a time, `everyMs` apart, until the server closes the socket; what it answered, and when. */
async function trickle(
  port: number,
  pieces: readonly string[],
  everyMs: number,
): Promise<{ ms: number; answer: string }> {
  const socket: Socket = netConnect(port, '127.0.0.1');
  await once(socket, 'connect');
  const started = Date.now();
  let answer = '';
  socket.on('data', (chunk: Buffer) => {
    answer += chunk.toString();
  });
  socket.on('error', () => {});
  // Not events.once: it would reject on the ECONNRESET a server may end with.
  const closed = new Promise((resolve) => socket.once('close', resolve));
  let next = 0;
  const timer = setInterval(() => {
    if (next < pieces.length && socket.writable) socket.write(pieces[next++]!);
  }, everyMs);
  // Bounded even if the server never closes: the assertion on ms then fails.
  const bound = setTimeout(() => socket.destroy(), 20_000);
  await closed;
  clearInterval(timer);
  clearTimeout(bound);
  return { ms: Date.now() - started, answer };
}

describe('REST over HTTP/1.1: slowloris and huge headers', () => {
  it('slow headers: the connection is closed once headersTimeout passes', async () => {
    const lines = [
      'POST /v1/classify HTTP/1.1\r\n',
      'Host: x\r\n',
      ...Array.from({ length: 200 }, (_, i) => `X-${i}: y\r\n`),
    ];
    const { ms, answer } = await trickle(rest.port, lines, 100);
    console.log(
      `slow headers: closed after ${ms} ms (headersTimeout ${limits.headersMs} ms): ${answer.split('\r\n')[0] || 'no answer'}`,
    );
    expect(ms).toBeLessThan(limits.headersMs + slackMs);
    await restStillServes();
  });

  it('slow body: 408 once requestTimeout passes', async () => {
    const head = `POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
    const { ms, answer } = await trickle(rest.port, [head, ...Array.from({ length: 500 }, () => ' ')], 100);
    console.log(
      `slow body: closed after ${ms} ms (requestTimeout ${limits.requestMs} ms): ${answer.split('\r\n')[0]}`,
    );
    expect(ms).toBeLessThan(limits.requestMs + slackMs);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    await restStillServes();
  });

  it('huge headers: 431, and the server carries on', async () => {
    const big = `POST /v1/classify HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(200_000)}\r\nContent-Length: 0\r\n\r\n`;
    const { ms, answer } = await trickle(rest.port, [big], 1);
    // The server answers 431 and closes while the rest of the headers are still
    // arriving, so the client may see a reset instead of the answer.
    console.log(`huge headers: closed after ${ms} ms: ${answer.split('\r\n')[0] || 'reset, no answer read'}`);
    expect(answer === '' || /^HTTP\/1\.1 431/.test(answer)).toBe(true);
    expect(alive(rest)).toBe(true);
    await restStillServes();
  });
});

describe('REST over HTTP/2: a slow body is reset once requestTimeout passes', () => {
  it('slow body stream', async () => {
    const session = http2Connect(`http://127.0.0.1:${restH2.port}`);
    session.on('error', () => {});
    const stream = session.request({
      ':method': 'POST',
      ':path': '/v1/classify',
      'content-type': 'application/json',
      'content-length': '1000',
    });
    let status = 0;
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    const timer = setInterval(() => stream.writable && stream.write(' '), 100);
    const ms = await answered(stream);
    clearInterval(timer);
    stream.close();
    console.log(`rest-h2 slow body: answered ${status || 'nothing'} after ${ms} ms`);
    expect(ms).toBeLessThan(limits.requestMs + slackMs);
    expect(status).toBe(408);
    // Still serves, on a new stream of the same session.
    const ok = session.request({
      ':method': 'POST',
      ':path': '/v1/classify',
      'content-type': 'application/json',
    });
    ok.end(classify.jsonBody);
    const [headers] = await once(ok, 'response');
    ok.resume();
    expect(headers[':status']).toBe(200);
    session.close();
  });
});

/**
 * Resolves with the ms until the server ended its side of the stream (or reset it,
 * or 20 s passed). Not 'close': our side stays open, as a slow client's would.
 */
function answered(stream: ClientHttp2Stream): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(bound);
      resolve(Date.now() - started);
    };
    const bound = setTimeout(done, 20_000);
    stream.on('error', () => {});
    stream.on('data', () => {});
    stream.once('end', done);
    stream.once('close', done);
  });
}

/** An HTTP/2 session to a gRPC server, and the ms until the server closed it. */
function openSession(port: number): { session: ClientHttp2Session; closed: Promise<number> } {
  const session = http2Connect(`http://127.0.0.1:${port}`);
  session.on('error', () => {});
  const started = Date.now();
  const closed = new Promise<number>((resolve) => {
    const bound = setTimeout(() => session.destroy(), 20_000);
    session.once('close', () => {
      clearTimeout(bound);
      resolve(Date.now() - started);
    });
  });
  return { session, closed };
}

function openGrpcStream(session: ClientHttp2Session, deadline?: string) {
  const stream = session.request({
    ':method': 'POST',
    ':path': classify.grpcPath,
    'content-type': 'application/grpc',
    te: 'trailers',
    ...(deadline ? { 'grpc-timeout': deadline } : {}),
  });
  let status: string | undefined;
  const read = (headers: Record<string, unknown>) => {
    if (headers['grpc-status'] !== undefined) status = String(headers['grpc-status']);
  };
  stream.on('response', read);
  stream.on('trailers', read);
  return { stream, status: () => status };
}

describe.each([
  ['grpc-js', () => grpc],
  ['connect', () => connect],
])('%s: idle streams, idle connections, huge metadata, rapid reset', (name, server) => {
  it('an idle stream with a deadline ends at its deadline', async () => {
    const { session } = openSession(server().port);
    const { stream, status } = openGrpcStream(session, '500m');
    const ms = await answered(stream);
    console.log(
      `${name} idle stream, 500 ms deadline: ended after ${ms} ms, grpc-status ${status()}, reset code ${stream.rstCode}`,
    );
    // grpc-js answers DEADLINE_EXCEEDED; connect's guard resets the stream (CANCEL).
    if (name === 'grpc-js') expect(status()).toBe('4');
    else expect(stream.rstCode).toBe(constants.NGHTTP2_CANCEL);
    expect(ms).toBeLessThan(500 + slackMs);
    session.close();
  });

  it('an idle stream without a deadline ends with its connection, at the age limit plus grace', async () => {
    const { session, closed } = openSession(server().port);
    const { stream } = openGrpcStream(session);
    answered(stream);
    const ms = await closed;
    console.log(`${name} idle stream, no deadline: connection closed after ${ms} ms`);
    expect(ms).toBeLessThan(limits.ageMs + limits.graceMs + slackMs);
  });

  it('an idle connection is closed at the idle limit', async () => {
    const { closed } = openSession(server().port);
    const ms = await closed;
    console.log(`${name} idle connection: closed after ${ms} ms`);
    expect(ms).toBeLessThan(limits.idleMs + slackMs);
  });

  it('huge metadata is refused without harm', async () => {
    const pool = new GrpcRawPool(server().port, 1);
    const { session } = openSession(server().port);
    const stream = session.request({
      ':method': 'POST',
      ':path': classify.grpcPath,
      'content-type': 'application/grpc',
      te: 'trailers',
      'x-big': 'a'.repeat(100_000),
    });
    stream.end(classify.grpcFrame);
    // Refused (a reset, or RESOURCE_EXHAUSTED): either way, no harm done.
    await answered(stream);
    session.destroy();
    pool.close();
    await grpcStillServes(server());
  });

  it('rapid reset: 10,000 streams opened and cancelled at once', async () => {
    const pool = new GrpcRawPool(server().port, 2);
    const validCall = () => pool.call(classify.grpcPath, classify.grpcFrame, 5_000);
    const before = await retainedMemory(server(), validCall);
    const started = Date.now();
    let opened = 0;
    let sessions = 0;
    // Bounded in count and time; a server that sends GOAWAY (as node does for too many
    // resets) ends a session, and the flood goes on over a new one.
    while (opened < 10_000 && Date.now() - started < 20_000) {
      const { session } = openSession(server().port);
      sessions += 1;
      await once(session, 'connect').catch(() => {});
      for (let i = 0; i < 1_000 && opened < 10_000 && !session.closed && !session.destroyed; i += 1) {
        try {
          const stream = session.request({
            ':method': 'POST',
            ':path': classify.grpcPath,
            'content-type': 'application/grpc',
            te: 'trailers',
          });
          stream.on('error', () => {});
          stream.close(constants.NGHTTP2_CANCEL);
          opened += 1;
        } catch {
          break;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
      session.destroy();
    }
    const ms = Date.now() - started;
    // A valid call on a fresh connection, tried until it succeeds (bounded): how long
    // the flood kept the server from its real clients.
    const recovering = Date.now();
    let code = '';
    while (code !== 'OK' && Date.now() - recovering < 30_000) {
      const pool = new GrpcRawPool(server().port, 1);
      code = (await pool.call(classify.grpcPath, classify.grpcFrame, 1_000)).code;
      pool.close();
    }
    const outageMs = Date.now() - recovering;
    const after = await retainedMemory(server(), validCall);
    pool.close();
    console.log(
      `${name} rapid reset: ${opened} streams over ${sessions} sessions in ${ms} ms; a valid call succeeded ${outageMs} ms after the flood; retained RSS ${mib(before.rssBytes)} → ${mib(after.rssBytes)}, heap in use ${mib(before.heapUsedBytes)} → ${mib(after.heapUsedBytes)}`,
    );
    expect(alive(server())).toBe(true);
    expect(opened).toBe(10_000);
    expect(code).toBe('OK');
    expect(outageMs).toBeLessThan(maxOutageMs);
    expect(after.rssBytes).toBeLessThanOrEqual(before.rssBytes * 1.2);
  });
});
