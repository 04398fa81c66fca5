import type { ToxicFactory } from './toxic.js';

/**
 * A blackhole: nothing passes (data is dropped, not held), and the connection is closed
 * after `timeoutMs`; with 0 it stays open and silent until the fault goes off.
 */
export const timeoutToxic =
  (timeoutMs: number): ToxicFactory =>
  (_output, connection) => {
    const timer = timeoutMs > 0 ? setTimeout(() => connection.close(), timeoutMs) : undefined;
    return {
      data() {},
      end() {},
      lift: () => clearTimeout(timer),
    };
  };
