import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultProxy } from './fault-proxy.js';
import { FaultSchedule } from './fault-schedule.js';

let echo: Server;
let received: number[];
let proxy: FaultProxy;
const opened: Socket[] = [];

beforeEach(async () => {
  const mine: number[] = [];
  received = mine;
  echo = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => mine.push(chunk.length));
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  proxy = await FaultProxy.start({
    upstreamHost: '127.0.0.1',
    upstreamPort: (echo.address() as AddressInfo).port,
  });
});

afterEach(async () => {
  for (const socket of opened.splice(0)) socket.destroy();
  await proxy.close();
  echo.close();
});

async function client(): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port: proxy.port, noDelay: true });
  opened.push(socket);
  await once(socket, 'connect');
  return socket;
}

/** Writes `bytes` and resolves with the milliseconds until they all came back. */
async function roundTrip(socket: Socket, bytes: number): Promise<number> {
  const start = performance.now();
  let got = 0;
  const done = new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      got += chunk.length;
      if (got < bytes) return;
      socket.off('data', onData);
      resolve();
    };
    socket.on('data', onData);
  });
  socket.write(Buffer.alloc(bytes, 7));
  await done;
  return performance.now() - start;
}

/** How the socket ended: 'reset', 'end' (FIN), or 'open' after `withinMs`. */
function endOf(socket: Socket, withinMs: number): Promise<{ how: string; afterMs: number }> {
  const start = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ how: 'open', afterMs: withinMs }), withinMs);
    const settle = (how: string) => {
      clearTimeout(timer);
      resolve({ how, afterMs: performance.now() - start });
    };
    socket.once('error', (error: NodeJS.ErrnoException) =>
      settle(error.code === 'ECONNRESET' ? 'reset' : 'error'),
    );
    socket.once('end', () => settle('end'));
  });
}

describe('FaultProxy', () => {
  it('passes bytes both ways unchanged with no fault on', async () => {
    const socket = await client();
    expect(await roundTrip(socket, 10_000)).toBeLessThan(100);
    expect(proxy.connectionCount).toBe(1);
  });

  it('latency: adds latency ± jitter to each direction it is on, and stops when removed', async () => {
    const socket = await client();
    const id = await proxy.add('downstream', { type: 'latency', latencyMs: 80, jitterMs: 20 });
    await proxy.add('upstream', { type: 'latency', latencyMs: 40, jitterMs: 0 });
    const times = [];
    for (let i = 0; i < 4; i++) times.push(await roundTrip(socket, 100));
    for (const ms of times) {
      expect(ms).toBeGreaterThanOrEqual(40 + 60 - 2);
      expect(ms).toBeLessThan(40 + 100 + 60);
    }
    await proxy.remove(id);
    expect(await roundTrip(socket, 100)).toBeLessThan(40 + 40);
  });

  it('latency: keeps the order of the bytes', async () => {
    const socket = await client();
    await proxy.add('downstream', { type: 'latency', latencyMs: 20, jitterMs: 20 });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    for (let i = 0; i < 50; i++) {
      socket.write(Buffer.from([i]));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect([...Buffer.concat(chunks)]).toEqual([...Array(50).keys()]);
  });

  it('bandwidth: 40 kB at 400 kB/s take about 100 ms', async () => {
    const socket = await client();
    await proxy.add('downstream', { type: 'bandwidth', rateKBps: 400 });
    const ms = await roundTrip(socket, 40_000);
    expect(ms).toBeGreaterThanOrEqual(95);
    expect(ms).toBeLessThan(400);
  });

  it('slicer: one write reaches the server as many small ones', async () => {
    const socket = await client();
    await proxy.add('upstream', { type: 'slicer', averageSize: 10, sizeVariation: 4, delayMs: 2 });
    await roundTrip(socket, 200);
    // The server's reads may merge pieces that arrive together, but not into one.
    expect(received.length).toBeGreaterThanOrEqual(10);
    expect(received.reduce((a, b) => a + b, 0)).toBe(200);
  });

  it('limit_data: passes the limit, then closes the connection', async () => {
    const socket = await client();
    await proxy.add('upstream', { type: 'limit_data', bytes: 50 });
    let got = 0;
    socket.on('data', (chunk: Buffer) => {
      got += chunk.length;
    });
    const ended = endOf(socket, 1_000);
    socket.write(Buffer.alloc(120));
    expect((await ended).how).toBe('end');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received.reduce((a, b) => a + b, 0)).toBe(50);
    expect(got).toBeLessThanOrEqual(50);
  });

  it('timeout 0: nothing gets through and the connection stays open', async () => {
    const socket = await client();
    await proxy.add('upstream', { type: 'timeout', timeoutMs: 0 });
    const ended = endOf(socket, 200);
    socket.write(Buffer.alloc(10));
    expect((await ended).how).toBe('open');
    expect(received).toEqual([]);
  });

  it('timeout: nothing gets through, then the connection is closed', async () => {
    const socket = await client();
    await proxy.add('downstream', { type: 'timeout', timeoutMs: 100 });
    const ended = endOf(socket, 1_000);
    socket.write(Buffer.alloc(10));
    const end = await ended;
    expect(end.how).toBe('end');
    expect(end.afterMs).toBeGreaterThanOrEqual(90);
  });

  it('reset_peer: the driver side gets a TCP reset after the timeout', async () => {
    const socket = await client();
    const ended = endOf(socket, 1_000);
    await proxy.add('downstream', { type: 'reset_peer', timeoutMs: 50 });
    const end = await ended;
    expect(end.how).toBe('reset');
    expect(end.afterMs).toBeGreaterThanOrEqual(45);
  });

  it('reset_peer upstream: the server side gets the reset, new connections too', async () => {
    const resets: string[] = [];
    echo.on('connection', (socket: Socket) =>
      socket.on('error', (error: NodeJS.ErrnoException) => resets.push(String(error.code))),
    );
    await proxy.add('upstream', { type: 'reset_peer', timeoutMs: 0 });
    const socket = await client();
    expect((await endOf(socket, 1_000)).how).not.toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(resets).toContain('ECONNRESET');
  });

  it('slow_close: the end of the stream arrives late', async () => {
    const socket = await client();
    await proxy.add('downstream', { type: 'slow_close', delayMs: 150 });
    expect(await roundTrip(socket, 10)).toBeLessThan(50);
    const ended = endOf(socket, 1_000);
    socket.end();
    const end = await ended;
    expect(end.how).toBe('end');
    expect(end.afterMs).toBeGreaterThanOrEqual(140);
  });

  it('down: connections are closed and refused; up again on the same port', async () => {
    const socket = await client();
    const port = proxy.port;
    const ended = endOf(socket, 1_000);
    const id = await proxy.add('downstream', { type: 'down' });
    expect((await ended).how).not.toBe('open');
    const refused = connect({ host: '127.0.0.1', port });
    const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
    await proxy.remove(id);
    expect(proxy.port).toBe(port);
    expect(await roundTrip(await client(), 10)).toBeLessThan(50);
  });

  it('close(): ends every connection and leaves no timers behind', async () => {
    const socket = await client();
    await proxy.add('downstream', { type: 'latency', latencyMs: 10_000, jitterMs: 0 });
    await proxy.add('upstream', { type: 'timeout', timeoutMs: 10_000 });
    socket.write(Buffer.alloc(10));
    const ended = endOf(socket, 1_000);
    await proxy.close();
    expect((await ended).how).not.toBe('open');
    expect(proxy.connectionCount).toBe(0);
  });
});

describe('FaultSchedule', () => {
  it('turns faults on and off on time and records when they were on', async () => {
    const socket = await client();
    const schedule = new FaultSchedule(proxy, [
      {
        atMs: 50,
        untilMs: 150,
        direction: 'downstream',
        fault: { type: 'latency', latencyMs: 60, jitterMs: 0 },
      },
      { atMs: 100, direction: 'upstream', fault: { type: 'slow_close', delayMs: 10 } },
      { atMs: 5_000, direction: 'upstream', fault: { type: 'down' } },
    ]);
    schedule.start();
    expect(await roundTrip(socket, 10)).toBeLessThan(40);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await roundTrip(socket, 10)).toBeGreaterThanOrEqual(55);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await roundTrip(socket, 10)).toBeLessThan(40);
    const windows = await schedule.stop();
    expect(windows).toHaveLength(2);
    expect(windows[0]).toMatchObject({ type: 'latency', direction: 'downstream', params: { latencyMs: 60 } });
    expect(windows[0]!.startMs).toBeGreaterThanOrEqual(49);
    expect(windows[0]!.endMs).toBeGreaterThanOrEqual(149);
    expect(windows[1]).toMatchObject({ type: 'slow_close', direction: 'upstream' });
    expect(schedule.failures).toEqual([]);
  });
});
