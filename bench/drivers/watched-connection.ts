import type { DriverConnection, Outcome } from './driver.js';

/**
 * The same connection with its sends passed through `watch` (which sees each outcome
 * and returns it); its byte counts read through to the connection.
 */
export function watchedConnection(
  connection: DriverConnection,
  watch: (send: () => Promise<Outcome>) => Promise<Outcome>,
): DriverConnection {
  return {
    send: () => watch(() => connection.send()),
    get bytesWritten() {
      return connection.bytesWritten;
    },
    get bytesRead() {
      return connection.bytesRead;
    },
    get bytes() {
      return connection.bytes;
    },
  };
}
