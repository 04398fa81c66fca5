import type { Server } from 'node:net';
import { ServiceError } from './core/service-error.js';
import { formatHostPort } from './host-port.js';

/**
 * Listens on host:port, or fails with FAILED_PRECONDITION naming the server and the port option
 * (serve exits 2 on it): the node:http and node:http2 servers' one way to start.
 */
export function listenOrRefuse(
  server: Server,
  name: string,
  portOption: string,
  host: string,
  port: number,
): Promise<void> {
  const address = formatHostPort(host, port);
  return new Promise<void>((resolve, reject) => {
    const refuse = (error: Error) =>
      reject(
        new ServiceError(
          'FAILED_PRECONDITION',
          `${name} cannot listen on ${address}: ${error.message} (is the port already in use? pick another with ${portOption})`,
        ),
      );
    server.once('error', refuse);
    server.listen(port, host, () => {
      server.off('error', refuse);
      resolve();
    });
  });
}
