/**
 * Packet captures on loopback with dumpcap and tshark (Debian package `tshark`), for
 * checking the drivers' socket byte counts against what really crossed the wire.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const installHint = 'apt-get install -y tshark (and run as root or in the wireshark group)';
const startTimeoutMs = 10_000;
const stopTimeoutMs = 10_000;
/**
 * libpcap hands packets to dumpcap in blocks, at the latest after a block timeout (under
 * a second here); a SIGINT drops what the kernel still holds. So stop only once dumpcap's
 * packet count has not moved for this long after the traffic ended.
 */
const quietMs = 1_500;
const settleLimitMs = 10_000;

/**
 * Why no capture can be taken here, or undefined when it can: the tools must exist and a
 * one-second probe capture on `lo` must succeed (it fails without the capture capability).
 */
export function captureProblem(): string | undefined {
  for (const tool of ['dumpcap', 'tshark']) {
    const found = spawnSync(tool, ['--version'], { stdio: 'ignore', timeout: 5_000 });
    if (found.error || found.status !== 0) return `${tool} is not installed`;
  }
  const dir = mkdtempSync(join(tmpdir(), 'capture-probe-'));
  try {
    const probe = spawnSync(
      'dumpcap',
      ['-q', '-i', 'lo', '-f', 'tcp port 9', '-a', 'duration:1', '-w', join(dir, 'probe.pcapng')],
      { encoding: 'utf8', timeout: 10_000 },
    );
    if (probe.error) return `dumpcap cannot run: ${probe.error.message}`;
    if (probe.status !== 0) {
      // The reason is the "dumpcap: …" line; advice on permissions follows it.
      const lines = probe.stderr.trim().split('\n');
      const reason = lines.find((line) => line.startsWith('dumpcap:')) ?? lines.at(-1);
      return `dumpcap cannot capture on lo (${reason})`;
    }
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TcpPayloadBytes {
  /** TCP payload bytes delivered to the port, and from it: each byte once, by sequence numbers. */
  readonly toPort: number;
  readonly fromPort: number;
  /** What the segments carried, retransmissions included (more than delivered when the kernel resent). */
  readonly segmentBytes: number;
  readonly packets: number;
}

export interface Capture {
  /** Stops capturing and counts the TCP payload bytes of the capture, both ways. */
  stop(): Promise<TcpPayloadBytes>;
  /** Kills dumpcap if it still runs, closes the probe port and removes the file: for `finally`. */
  dispose(): void;
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * The payload bytes each way between `port` and its peers. Loopback drops and resends
 * segments when a receiver falls behind under bulk uploads, so summing tcp.len would count
 * resent bytes twice; the highest relative sequence reached per connection and direction
 * (tcp.seq + tcp.len, less the SYN's 1) counts each delivered byte once, as the socket does.
 */
export function tcpPayloadOf(file: string, port: number): TcpPayloadBytes {
  const fields = ['tcp.stream', 'tcp.srcport', 'tcp.dstport', 'tcp.seq', 'tcp.len'];
  const read = spawnSync('tshark', ['-n', '-r', file, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (read.error || read.status !== 0)
    throw new Error(`tshark could not read ${file}: ${read.error?.message ?? read.stderr}`);
  const reached = new Map<string, number>();
  let segmentBytes = 0;
  let packets = 0;
  for (const line of read.stdout.split('\n')) {
    const [stream, src, dst, seq, len] = line.split('\t').map(Number);
    if (seq === undefined || len === undefined || Number.isNaN(seq) || Number.isNaN(len)) continue;
    if (src !== port && dst !== port) continue;
    packets++;
    // Bare ACKs, FINs and RSTs carry no payload (and a RST after our FIN is one sequence number further).
    if (len === 0) continue;
    segmentBytes += len;
    const key = `${stream} ${dst === port ? 'to' : 'from'}`;
    reached.set(key, Math.max(reached.get(key) ?? 0, seq + len - 1));
  }
  let toPort = 0;
  let fromPort = 0;
  for (const [key, bytes] of reached) {
    if (key.endsWith('to')) toPort += bytes;
    else fromPort += bytes;
  }
  return { toPort, fromPort, segmentBytes, packets };
}

/** A listener that takes connections and drops them: traffic on a port of its own, to see the capture live. */
async function startProbe(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the probe listener has no port');
  return { server, port: address.port };
}

/** A connection to the probe port, opened and closed: a few packets, no payload. */
function knock(port: number): void {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  socket.on('connect', () => socket.destroy());
}

/**
 * Starts dumpcap on `lo` for one TCP port (and a probe port of its own) and resolves once
 * packets really arrive in the capture: dumpcap's "Capturing on" comes before the kernel
 * delivers anything, and a run started then loses its first packets. Headers only
 * (-s 96): tcp.len comes from the IP header.
 */
export async function startCapture(port: number): Promise<Capture> {
  const dir = mkdtempSync(join(tmpdir(), 'capture-'));
  const file = join(dir, 'run.pcapng');
  const probe = await startProbe();
  const filter = `tcp port ${port} or tcp port ${probe.port}`;
  const child = spawn('dumpcap', ['-i', 'lo', '-f', filter, '-s', '96', '-w', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let packets = 0;
  let lastPacketsAt = 0;
  child.stderr?.setEncoding('utf8');
  // Without -q dumpcap prints "Packets: N" each time the kernel hands it packets.
  child.stderr?.on('data', (text: string) => {
    stderr += text;
    for (const match of text.matchAll(/Packets: (\d+)/g)) {
      packets = Number(match[1]);
      lastPacketsAt = Date.now();
    }
  });
  const dispose = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    probe.server.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + startTimeoutMs;
    while (packets === 0) {
      if (child.exitCode !== null) throw new Error(`dumpcap exited (${child.exitCode}): ${stderr}`);
      if (Date.now() > deadline)
        throw new Error(`dumpcap captured nothing in ${startTimeoutMs} ms: ${stderr}`);
      if (stderr.includes('Capturing on')) knock(probe.port);
      await sleep(100);
    }
  } catch (error) {
    dispose();
    throw error;
  }
  return {
    async stop() {
      const stopAt = Date.now();
      while (Date.now() - Math.max(stopAt, lastPacketsAt) < quietMs && Date.now() - stopAt < settleLimitMs)
        await sleep(100);
      child.kill('SIGINT');
      if (!(await exited(child, stopTimeoutMs))) throw new Error('dumpcap did not stop on SIGINT');
      // dumpcap reports "Packets received/dropped on interface 'Loopback: lo': R/D (...)" on the way out.
      const dropped = /received\/dropped on interface .*?: (\d+)\/(\d+)/.exec(stderr);
      if (dropped && Number(dropped[2]) > 0)
        throw new Error(`dumpcap dropped ${dropped[2]} of ${dropped[1]} packets: the capture is incomplete`);
      return tcpPayloadOf(file, port);
    },
    dispose,
  };
}
