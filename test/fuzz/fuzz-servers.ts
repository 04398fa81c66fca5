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

/** What a server process holds once garbage is collected. */
export interface RetainedMemory {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

/**
 * A server's memory after a round of light valid traffic and V8's last-resort
 * collection, the lower of two readings. Read without a collection, RSS lands anywhere
 * in the collector's cycle: pages freed but not yet returned count, and connect-node's
 * old space alone swung between 68 and 97 MiB on the same seed, so a bound on raw RSS
 * failed by chance (+22.7% for grpc-js once, +4–6% on reruns) while the heap in use
 * after collection stayed within 1 MiB. Collected first, the figure counts what is
 * retained: leaked objects, buffers and native memory alike.
 */
export async function retainedMemory(
  server: ServerProcess,
  call: () => Promise<unknown>,
): Promise<RetainedMemory> {
  let lowest: RetainedMemory | undefined;
  for (let reading = 0; reading < 2; reading += 1) {
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = 0; i < 32; i += 1) await call();
      }),
    );
    const health = await server.health(10_000, { afterGc: true });
    if (!health) throw new Error(`no health answer from server ${server.pid}: ${server.log}`);
    if (!lowest || health.rssBytes < lowest.rssBytes) lowest = health;
  }
  return { rssBytes: lowest!.rssBytes, heapUsedBytes: lowest!.heapUsedBytes };
}
