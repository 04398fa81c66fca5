import type { ToxicFactory } from './toxic.js';

/**
 * Resets the connection (TCP RST, `socket.resetAndDestroy()`) after `timeoutMs`, counted
 * from when the fault met the connection; 0 resets it at once.
 */
export const resetPeerToxic =
  (timeoutMs: number): ToxicFactory =>
  (output, connection) => {
    // Never synchronously: the connection is still being set up when its stages are made.
    const timer = setTimeout(() => connection.reset(), timeoutMs);
    return {
      data: (chunk) => output.data(chunk),
      end: () => output.end(),
      lift: () => clearTimeout(timer),
    };
  };
