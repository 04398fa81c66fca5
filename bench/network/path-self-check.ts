/**
 * A run checks its own network before it measures over it: small pings across the
 * emulated path and a bulk transfer each way, against a far end in this process, compared
 * with the profile (±10%). The proxy is the same one a run puts between driver and server.
 */
import { once } from 'node:events';
import { type AddressInfo, createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FaultProxy } from '../faults/fault-proxy.js';
import { bytesPerMs, type PathSettings } from './network-profile.js';

export interface PathCheck {
  /** Median round trip of the pings, ms. */
  readonly rttMs: number;
  /** Rates measured at the receiving end over the second half of each bulk transfer. */
  readonly upMbps: number;
  readonly downMbps: number;
  readonly pings: number;
  readonly bulkBytes: { readonly up: number; readonly down: number };
  /** The proxy's own round trip (no path), ms: taken off the emulated delay (proxy-round-trip). */
  readonly proxyRttMs: number;
  /**
   * This process's event-loop delay during the check (p99, ms): the proxy keeps time on
   * this loop, so a busy machine that delays it makes the path slower than its profile.
   */
  readonly eventLoopP99Ms: number;
  /** Every figure within ±10% of the profile. */
  readonly passed: boolean;
  readonly problems: readonly string[];
  readonly durationMs: number;
}

export const selfCheckTolerance = 0.1;
const pingBytes = 64;
const maxBulkBytes = 16 * 1024 * 1024;

/** Far end: a `p` connection echoes, `u` counts what it gets, `d` + 4-byte length sends that many bytes. */
interface FarEnd {
  readonly server: Server;
  readonly port: number;
  /** Arrival times and sizes of the last upload, for the rate. */
  uploads: Arrival[];
}

interface Arrival {
  readonly at: number;
  readonly bytes: number;
}

async function startFarEnd(): Promise<FarEnd> {
  const farEnd = { uploads: [] as Arrival[] } as { -readonly [K in keyof FarEnd]: FarEnd[K] };
  const server = createServer({ noDelay: true }, (socket) => {
    socket.once('data', (first: Buffer) => {
      const mode = String.fromCharCode(first[0]!);
      const rest = first.subarray(1);
      if (mode === 'p') {
        socket.on('data', (chunk: Buffer) => socket.write(chunk));
        if (rest.length > 0) socket.write(rest);
      } else if (mode === 'u') {
        const arrivals: Arrival[] = [];
        farEnd.uploads = arrivals;
        const note = (chunk: Buffer) => arrivals.push({ at: performance.now(), bytes: chunk.length });
        if (rest.length > 0) note(rest);
        socket.on('data', note);
        socket.on('end', () => socket.end());
      } else if (mode === 'd') socket.end(Buffer.alloc(first.readUInt32BE(1)));
      else socket.destroy();
    });
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  farEnd.server = server;
  farEnd.port = (server.address() as AddressInfo).port;
  return farEnd;
}

async function connectTo(port: number): Promise<Socket> {
  const socket = netConnect({ host: '127.0.0.1', port, noDelay: true });
  await once(socket, 'connect');
  return socket;
}

/** Median round trip of `count` pings of 64 bytes, one at a time. */
async function ping(port: number, count: number): Promise<number> {
  const socket = await connectTo(port);
  try {
    socket.write('p');
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      socket.write(Buffer.alloc(pingBytes, i));
      let got = 0;
      while (got < pingBytes) {
        const [chunk] = (await once(socket, 'data')) as [Buffer];
        got += chunk.length;
      }
      times.push(performance.now() - start);
    }
    return median(times);
  } finally {
    socket.destroy();
  }
}

/** Bytes a millisecond at the receiver over the second half of a transfer (slow start is over by then). */
function secondHalfRate(arrivals: readonly Arrival[]): number {
  const total = arrivals.reduce((sum, a) => sum + a.bytes, 0);
  let cumulative = 0;
  let index = 0;
  while (index < arrivals.length && cumulative < total / 2) cumulative += arrivals[index++]!.bytes;
  const from = arrivals[index - 1]!;
  const last = arrivals.at(-1)!;
  return (total - cumulative) / Math.max(1e-3, last.at - from.at);
}

async function upload(farEnd: FarEnd, port: number, bytes: number): Promise<number> {
  const socket = await connectTo(port);
  socket.write('u');
  socket.end(Buffer.alloc(bytes));
  await once(socket, 'close');
  return secondHalfRate(farEnd.uploads);
}

async function download(port: number, bytes: number): Promise<number> {
  const socket = await connectTo(port);
  const arrivals: Arrival[] = [];
  socket.on('data', (chunk: Buffer) => arrivals.push({ at: performance.now(), bytes: chunk.length }));
  const ask = Buffer.alloc(5);
  ask.write('d');
  ask.writeUInt32BE(bytes, 1);
  socket.write(ask);
  await once(socket, 'end');
  socket.destroy();
  return secondHalfRate(arrivals);
}

/**
 * Enough bytes that the second half runs at the full rate (slow start moves about twice
 * the BDP) for about 400 ms, so that a few milliseconds of a busy event loop are ~1% of it.
 */
function bulkBytesFor(path: PathSettings, mbps: number): number {
  const rate = bytesPerMs(mbps);
  return Math.round(Math.min(maxBulkBytes, 4 * rate * path.rttMs + rate * 800));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The round trip a proxy adds on loopback with no path (ms): 20 pings after 5 to warm up.
 * Sub-millisecond profiles would otherwise come out long by it.
 */
export async function measureProxyRtt(): Promise<number> {
  const farEnd = await startFarEnd();
  // A path with no delay and no rate limit: the proxy's and the link's own cost.
  const network = { rttMs: 0, jitterMs: 0, downMbps: 1e6, upMbps: 1e6, congestionWindow: false };
  const proxy = await FaultProxy.start({ upstreamHost: '127.0.0.1', upstreamPort: farEnd.port, network });
  try {
    await ping(proxy.port, 5);
    return round(await ping(proxy.port, 20));
  } finally {
    await proxy.close();
    await new Promise<void>((resolve) => farEnd.server.close(() => resolve()));
  }
}

/** Pings and a bulk transfer each way across a proxy with `path`, compared with the profile. */
export async function checkPath(
  path: PathSettings,
  options: { readonly pings?: number; readonly proxyRttMs?: number } = {},
): Promise<PathCheck> {
  const started = performance.now();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  // Short round trips are cheap to ping many times, and their 10% is a few tens of microseconds.
  const pings =
    options.pings ?? Math.round(Math.min(50, Math.max(path.jitterMs > 0 ? 20 : 10, 500 / path.rttMs)));
  const proxyRttMs = options.proxyRttMs ?? (await measureProxyRtt());
  const farEnd = await startFarEnd();
  const proxy = await FaultProxy.start({
    upstreamHost: '127.0.0.1',
    upstreamPort: farEnd.port,
    network: path,
    proxyRttMs,
  });
  try {
    const rttMs = await ping(proxy.port, pings);
    const bulkBytes = { up: bulkBytesFor(path, path.upMbps), down: bulkBytesFor(path, path.downMbps) };
    const up = await upload(farEnd, proxy.port, bulkBytes.up);
    const down = await download(proxy.port, bulkBytes.down);
    const toMbps = (bytesPerMsMeasured: number) => (bytesPerMsMeasured * 1000 * 8) / 1e6;
    const figures = [
      { name: 'round trip', measured: rttMs, expected: path.rttMs, unit: 'ms' },
      { name: 'upload rate', measured: toMbps(up), expected: path.upMbps, unit: 'Mbit/s' },
      { name: 'download rate', measured: toMbps(down), expected: path.downMbps, unit: 'Mbit/s' },
    ];
    const problems = figures
      .filter(({ measured, expected }) => Math.abs(measured - expected) > selfCheckTolerance * expected)
      .map(
        ({ name, measured, expected, unit }) =>
          `${name} ${round(measured)} ${unit} is not within ${selfCheckTolerance * 100}% of ${expected} ${unit}`,
      );
    return {
      rttMs: round(rttMs),
      upMbps: round(toMbps(up)),
      downMbps: round(toMbps(down)),
      pings,
      bulkBytes,
      proxyRttMs,
      // Node counts its sampling timer's whole interval, the 10 ms resolution included.
      eventLoopP99Ms: round(Math.max(0, loop.percentile(99) / 1e6 - 10)),
      passed: problems.length === 0,
      problems,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    loop.disable();
    await proxy.close();
    await new Promise<void>((resolve) => farEnd.server.close(() => resolve()));
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
