import { once } from 'node:events';
import {
  constants,
  createServer,
  type Http2Server,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
  type Settings,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { H2ClientConnection, type H2StreamHandler, type StreamEnd } from './h2-client-connection.js';

const headers = [
  [':method', 'POST'],
  [':scheme', 'http'],
  [':path', '/test.Echo/Echo'],
  [':authority', 'localhost'],
  ['content-type', 'application/grpc'],
  ['te', 'trailers'],
] as const;

type OnStream = (
  stream: ServerHttp2Stream,
  requestHeaders: IncomingHttpHeaders,
  session: ServerHttp2Session,
) => void;

let server: Http2Server | undefined;
const sessions = new Set<ServerHttp2Session>();

async function startServer(settings: Settings, onStream: OnStream): Promise<number> {
  server = createServer({ settings });
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, requestHeaders) => {
    stream.on('error', () => {});
    onStream(stream, requestHeaders, stream.session as ServerHttp2Session);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

afterEach(async () => {
  for (const session of sessions) session.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Answers with the number of body bytes it received, in a trailer, after echoing the body's length as data. */
const countingEcho: OnStream = (stream) => {
  let received = 0;
  stream.on('data', (chunk: Buffer) => {
    received += chunk.length;
  });
  stream.on('end', () => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () =>
      stream.sendTrailers({ 'grpc-status': '0', 'x-received': String(received) }),
    );
    stream.end(Buffer.from(`got ${received}`));
  });
};

class Recorder implements H2StreamHandler {
  streamId = 0;
  readonly wantsData = true;
  readonly headers = new Map<string, string>();
  readonly chunks: Buffer[] = [];
  readonly ended: Promise<StreamEnd>;
  private settle: (end: StreamEnd) => void = () => {};

  constructor() {
    this.ended = new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  onHeader(name: string, value: string): void {
    this.headers.set(name, value);
  }

  onData(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onEnd(end: StreamEnd): void {
    this.settle(end);
  }
}

describe('H2ClientConnection', () => {
  it('respects the server’s stream limit, window and frame size with large bodies', async () => {
    const port = await startServer({ maxConcurrentStreams: 2, initialWindowSize: 1_000 }, countingEcho);
    const connection = new H2ClientConnection({ host: '127.0.0.1', port, headers });
    await connection.ready;
    const body = Buffer.alloc(100_000, 7);
    const calls = Array.from({ length: 8 }, () => new Recorder());
    for (const call of calls) connection.request(body, call);
    expect(await Promise.all(calls.map((call) => call.ended))).toEqual(calls.map(() => 'ended'));
    for (const call of calls) {
      expect(call.headers.get(':status')).toBe('200');
      expect(call.headers.get('grpc-status')).toBe('0');
      expect(call.headers.get('x-received')).toBe('100000');
      expect(Buffer.concat(call.chunks).toString()).toBe('got 100000');
    }
    expect(connection.bytesWritten).toBeGreaterThan(8 * 100_000);
    connection.close();
  });

  it('reads a trailers-only answer, and an empty body', async () => {
    const port = await startServer({}, (stream) => {
      stream.resume();
      stream.respond(
        { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '3' },
        { endStream: true },
      );
    });
    const connection = new H2ClientConnection({ host: '127.0.0.1', port, headers });
    const call = new Recorder();
    connection.request(Buffer.alloc(0), call);
    expect(await call.ended).toBe('ended');
    expect(call.headers.get('grpc-status')).toBe('3');
    connection.close();
  });

  it('reports a reset stream, and carries on with the next', async () => {
    let n = 0;
    const port = await startServer({}, (stream, requestHeaders, session) => {
      if (n++ === 0) stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      else countingEcho(stream, requestHeaders, session);
    });
    const connection = new H2ClientConnection({ host: '127.0.0.1', port, headers });
    const [first, second] = [new Recorder(), new Recorder()];
    connection.request(Buffer.from('a'), first);
    expect(await first.ended).toBe('reset');
    connection.request(Buffer.from('bb'), second);
    expect(await second.ended).toBe('ended');
    expect(second.headers.get('x-received')).toBe('2');
    connection.close();
  });

  it('cancels a stream the server never answers', async () => {
    const aborted = new Promise<number>((resolve) => {
      void startServer({}, (stream) => {
        stream.resume();
        stream.on('close', () => resolve(stream.rstCode));
      }).then((port) => {
        const connection = new H2ClientConnection({ host: '127.0.0.1', port, headers });
        const call = new Recorder();
        connection.request(Buffer.from('x'), call);
        setTimeout(() => connection.cancel(call), 50);
        void call.ended.then((end) => {
          expect(end).toBe('cancelled');
          setTimeout(() => connection.close(), 100);
        });
      });
    });
    expect(await aborted).toBe(constants.NGHTTP2_CANCEL);
  });

  it('answers the server’s PING', async () => {
    let session: ServerHttp2Session | undefined;
    const port = await startServer({}, (stream, requestHeaders, serverSession) => {
      session = serverSession;
      countingEcho(stream, requestHeaders, serverSession);
    });
    const connection = new H2ClientConnection({ host: '127.0.0.1', port, headers });
    const call = new Recorder();
    connection.request(Buffer.from('x'), call);
    await call.ended;
    const acked = await new Promise<boolean>((resolve) => session!.ping((error) => resolve(!error)));
    expect(acked).toBe(true);
    connection.close();
  });

  it('stops taking requests after GOAWAY, finishes what the server kept, refuses the rest', async () => {
    let answered = 0;
    const port = await startServer({}, (stream, _headers, session) => {
      stream.resume();
      if (answered++ > 0) return;
      session.goaway(constants.NGHTTP2_NO_ERROR, stream.id);
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end('kept');
    });
    const connection = new H2ClientConnection({ host: '127.0.0.1', port, headers });
    await connection.ready;
    const [kept, refused] = [new Recorder(), new Recorder()];
    connection.request(Buffer.from('a'), kept);
    connection.request(Buffer.from('b'), refused);
    expect(await refused.ended).toBe('refused');
    expect(connection.accepting).toBe(false);
    const late = new Recorder();
    connection.request(Buffer.from('c'), late);
    expect(await late.ended).toBe('refused');
    expect(await kept.ended).toBe('ended');
    connection.close();
  });

  it('ends every open stream when the connection drops', async () => {
    const port = await startServer({}, (stream, _headers, session) => {
      stream.resume();
      setTimeout(() => session.destroy(), 20);
    });
    const connection = new H2ClientConnection({ host: '127.0.0.1', port, headers });
    const calls = [new Recorder(), new Recorder()];
    for (const call of calls) connection.request(Buffer.from('x'), call);
    // Node resets the streams it can before the socket goes; the rest are lost with it.
    for (const end of await Promise.all(calls.map((call) => call.ended)))
      expect(['reset', 'lost']).toContain(end);
  });

  it('rejects ready when nothing listens', async () => {
    const port = await startServer({}, () => {});
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const connection = new H2ClientConnection({ host: '127.0.0.1', port, headers });
    await expect(connection.ready).rejects.toThrow(/closed/);
    const call = new Recorder();
    connection.request(Buffer.from('x'), call);
    expect(await call.ended).toBe('refused');
  });
});
