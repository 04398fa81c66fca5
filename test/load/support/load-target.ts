import { type Http1TestConnection, openTestConnections } from './http1-test-connection.js';
import { type Reply, startTestHttpServer, type TestHttpServer } from './test-http-server.js';

/** A test server and open keep-alive connections to it: what a load model runs against. */
export interface LoadTarget {
  readonly server: TestHttpServer;
  readonly connections: Http1TestConnection[];
  close(): Promise<void>;
}

export async function startLoadTarget(
  reply: (arrival: number) => Reply,
  options: { readonly connections: number; readonly path: string; readonly timeoutMs?: number },
): Promise<LoadTarget> {
  const server = await startTestHttpServer(reply);
  const connections = await openTestConnections(options.connections, {
    port: server.port,
    path: options.path,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  return {
    server,
    connections,
    async close() {
      for (const connection of connections) connection.close();
      await server.close();
    },
  };
}

/**
 * Answers at once, except that the `atArrival`-th request starts a stall of `stallMs`: it and every
 * request that arrives during the stall are answered when the stall ends. The stall is a timer, not
 * a blocked event loop, since the load model under test shares the process.
 */
export function stallOnce(atArrival: number, stallMs: number): (arrival: number) => Reply {
  let stallUntil = 0;
  return (arrival) => {
    const now = performance.now();
    if (arrival === atArrival) stallUntil = now + stallMs;
    return { status: 200, delayMs: Math.max(0, stallUntil - now) };
  };
}
