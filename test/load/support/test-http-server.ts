import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  readonly status: number;
  /** Answer this much later, without blocking the event loop (the load model shares it). */
  readonly delayMs?: number;
}

export interface TestHttpServer {
  readonly port: number;
  /** Requests received so far. */
  readonly arrivals: number;
  close(): Promise<void>;
}

/**
 * A real HTTP/1.1 server on loopback, port 0, whose answer to the n-th request (n from 1, in
 * order of arrival) is `reply(n)`: the tests' way to make stalls, errors and timeouts happen
 * exactly where they want them.
 */
export async function startTestHttpServer(reply: (arrival: number) => Reply): Promise<TestHttpServer> {
  let arrivals = 0;
  const server = http.createServer((_request, response) => {
    arrivals++;
    const { status, delayMs = 0 } = reply(arrivals);
    const answer = () => {
      const body = status < 300 ? 'ok' : 'error';
      response.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
  // Idle gaps between a test's runs must not close the load model's keep-alive sockets.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get arrivals() {
      return arrivals;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
