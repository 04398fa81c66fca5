import type { ToxicFactory } from './toxic.js';

/** Passes data at once but the end of the stream (FIN) `delayMs` late. */
export const slowCloseToxic =
  (delayMs: number): ToxicFactory =>
  (output) => {
    let timer: NodeJS.Timeout | undefined;
    return {
      data: (chunk) => output.data(chunk),
      end() {
        timer ??= setTimeout(() => {
          timer = undefined;
          output.end();
        }, delayMs);
      },
      lift() {
        if (!timer) return;
        clearTimeout(timer);
        timer = undefined;
        output.end();
      },
    };
  };
