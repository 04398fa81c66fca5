import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../faults/fault-proxy.js';
import { EmulatedLink, linkSettings } from './emulated-link.js';
import { namedProfile, networkProfileNames, type PathSettings } from './network-profile.js';
import { checkPath, measureProxyRtt } from './path-self-check.js';

/** An HTTP/1.1 server that reads each body whole and answers 200 with its length. */
let http: Server;
beforeAll(async () => {
  http = createServer((request, response) => {
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    request.on('end', () => response.end(String(bytes)));
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
});
afterAll(() => http.close());

const uploadBytes = 960_000;

/** POSTs `uploadBytes` on `socket` and resolves with the milliseconds until the whole answer is in. */
async function upload(socket: Socket): Promise<number> {
  const start = performance.now();
  socket.write(`POST /upload HTTP/1.1\r\nhost: x\r\ncontent-length: ${uploadBytes}\r\n\r\n`);
  socket.write(Buffer.alloc(uploadBytes));
  let answer = '';
  while (!answer.endsWith(String(uploadBytes))) {
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    answer += chunk.toString();
  }
  return performance.now() - start;
}

async function uploadsThrough(path: PathSettings): Promise<{ fresh: number; warm: number }> {
  const proxy = await FaultProxy.start({
    upstreamHost: '127.0.0.1',
    upstreamPort: (http.address() as AddressInfo).port,
    network: path,
    proxyRttMs: await measureProxyRtt(),
  });
  const socket = connect({ host: '127.0.0.1', port: proxy.port, noDelay: true });
  try {
    await once(socket, 'connect');
    const fresh = await upload(socket);
    const warm = await upload(socket);
    return { fresh, warm };
  } finally {
    socket.destroy();
    await proxy.close();
  }
}

describe('the emulated path', () => {
  const wan = namedProfile('wan').path!;

  it('slow start: a fresh HTTP/1.1 connection takes several round trips for its first 960 KB on wan, a warm one fewer', async () => {
    const on = await uploadsThrough(wan);
    const off = await uploadsThrough({ ...wan, congestionWindow: false });
    const rtts = (ms: number) => ms / wan.rttMs;
    // Slow start from 10 segments: 14, 29, 58, 116, 232 KB... about 7 round trips to move 960 KB.
    expect(rtts(on.fresh)).toBeGreaterThanOrEqual(6);
    // Warm: the window is at the BDP, so the 50 Mbit/s rate is the limit (154 ms) plus a round trip.
    expect(rtts(on.warm)).toBeLessThan(rtts(on.fresh) - 1.5);
    expect(rtts(on.warm)).toBeGreaterThanOrEqual(3.5);
    // Without the model, a fresh connection is as fast as a warm one.
    expect(rtts(off.fresh)).toBeLessThan(rtts(on.fresh) - 1.5);
    console.log(
      `960 KB over wan: fresh ${on.fresh.toFixed(0)} ms, warm ${on.warm.toFixed(0)} ms (congestion window on); ` +
        `fresh ${off.fresh.toFixed(0)} ms, warm ${off.warm.toFixed(0)} ms (off)`,
    );
  });

  it.each(networkProfileNames.filter((name) => name !== 'loopback'))(
    'self-check of %s: round trip and rates within 10%% of the profile',
    async (name) => {
      const path = namedProfile(name).path!;
      // A shared 2-core machine can stall the proxy's event loop for tens of milliseconds:
      // up to three tries, each one that missed printed with the loop's delay.
      let check = await checkPath(path);
      for (let retry = 1; retry < 3 && !check.passed; retry++) {
        console.log(
          `${name}: check missed (${check.problems.join('; ')}; event-loop p99 ${check.eventLoopP99Ms} ms)`,
        );
        check = await checkPath(path);
      }
      expect(check.problems).toEqual([]);
      console.log(`${name}: ${JSON.stringify(check)}`);
    },
  );

  it('holds the sender back instead of taking its upload at loopback speed', () => {
    const path = linkSettings(namedProfile('wan').path!, 50);
    let paused = false;
    let held = 0;
    const link = new EmulatedLink(
      path,
      { data: () => {}, end: () => {} },
      {
        pause: () => {
          paused = true;
        },
        resume: () => {
          paused = false;
        },
        unwritten: () => 0,
      },
    );
    // The source pushes 64 KB chunks until the link pauses it, as a socket would.
    let chunks = 0;
    while (!paused && chunks < 1000) {
      link.data(Buffer.alloc(64 * 1024));
      chunks++;
      held = link.heldBytes;
    }
    link.dispose();
    expect(paused).toBe(true);
    // At most about two bandwidth-delay products (2 × 312 KB) and a chunk, not the 64 MB offered.
    expect(held).toBeLessThanOrEqual(2 * 50 * 6250 + 64 * 1024);
  });
});
