import { ServerProcess } from '../../bench/run/server-process.js';
import type { ServerProtocol } from '../../servers/server-protocols.js';

/**
 * Servers under fuzz run as `serve` child processes: a crash shows as an exit, and
 * memory is read from /proc of that process alone.
 */
export async function startFuzzServer(
  protocol: ServerProtocol,
  serveArgs: readonly string[] = [],
): Promise<ServerProcess> {
  return ServerProcess.start({ protocol, host: '127.0.0.1', stt: 'reference', realTimeFactor: 0, serveArgs });
}

export function alive(server: ServerProcess): boolean {
  return server.child.exitCode === null && server.child.signalCode === null;
}

export function rssOf(server: ServerProcess): number {
  const sample = server.sample();
  if (!sample) throw new Error(`cannot read /proc/${server.pid}: ${server.log}`);
  return sample.rssBytes;
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Counts outcomes by name, for the printed summary and the assertions. */
export class Tally {
  readonly counts = new Map<string, number>();
  readonly bad: string[] = [];

  add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  reject(problem: string): void {
    if (this.bad.length < 20) this.bad.push(problem);
    this.add('REJECTED');
  }

  toString(): string {
    return [...this.counts].map(([key, count]) => `${key} ${count}`).join(', ');
  }
}

/**
 * The RSS floor of a server under light valid traffic: the lowest of several samples,
 * each after a round of calls. One sample lands anywhere in V8's garbage-collection
 * sawtooth (connect-node swings between about 233 and 305 MiB on valid calls alone),
 * so comparing single samples measures the sawtooth; a leak raises the floor. Thirty
 * rounds span several collections: with six, a run whose window held no major collection
 * read +27% for grpc-js where reruns of the same seed, at 10,000 and 30,000 cases, read +5–6%.
 */
export async function rssFloor(
  server: ServerProcess,
  call: () => Promise<unknown>,
  rounds = 30,
): Promise<number> {
  let floor = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round += 1) {
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = 0; i < 16; i += 1) await call();
      }),
    );
    floor = Math.min(floor, rssOf(server));
  }
  return floor;
}
