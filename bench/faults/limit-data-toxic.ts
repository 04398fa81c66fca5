import type { ToxicFactory } from './toxic.js';

/** Passes `bytes` in this direction, then closes the connection (FIN both ways), as Toxiproxy's limit_data. */
export const limitDataToxic =
  (bytes: number): ToxicFactory =>
  (output, connection) => {
    let left = bytes;
    let closed = false;
    return {
      data(chunk) {
        if (closed) return;
        if (chunk.length < left) {
          left -= chunk.length;
          output.data(chunk);
          return;
        }
        if (left > 0) output.data(chunk.subarray(0, left));
        left = 0;
        closed = true;
        connection.close();
      },
      end: () => output.end(),
      lift() {},
    };
  };
