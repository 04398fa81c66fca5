import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CountingRelay } from './counting-relay.js';

let echo: Server;
let port = 0;

beforeAll(async () => {
  // Answers every byte with two, so that the two directions differ.
  echo = createServer((socket) =>
    socket.on('data', (chunk: Buffer) => socket.write(Buffer.concat([chunk, chunk]))),
  );
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
  port = (echo.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

it('forwards both ways and counts the bytes of each direction', async () => {
  const relay = await CountingRelay.start({ host: '127.0.0.1', port });
  const socket = connect(relay.port, relay.host);
  const answer = new Promise<number>((resolve) => {
    let got = 0;
    socket.on('data', (chunk: Buffer) => {
      got += chunk.length;
      if (got >= 2000) resolve(got);
    });
  });
  socket.write(Buffer.alloc(1000, 7));
  expect(await answer).toBe(2000);
  expect(relay.counts()).toEqual({ sent: 1000, received: 2000 });
  socket.destroy();
  await relay.close();
});

it('closes with connections still open, and they end', async () => {
  const relay = await CountingRelay.start({ host: '127.0.0.1', port });
  const socket = connect(relay.port, relay.host);
  await new Promise((resolve) => socket.once('connect', resolve));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.on('error', () => {});
  await relay.close();
  await closed;
});
