import { setTimeout as sleep } from 'node:timers/promises';

/** Yields `bytes` in chunks of `chunkMs` of 16 kHz PCM16 audio, each at its real-time moment when `realTime`. */
export async function* audioChunks(
  bytes: Uint8Array,
  options: { chunkMs: number; realTime: boolean; headerBytes?: number; onFirst?: () => void },
): AsyncGenerator<Uint8Array> {
  const header = options.headerBytes ?? 0;
  const chunkBytes = Math.round((16_000 * 2 * options.chunkMs) / 1000);
  const start = performance.now();
  let sent = 0;
  for (let offset = header; offset < bytes.length || sent === 0; offset += chunkBytes) {
    const from = sent === 0 ? 0 : offset;
    if (options.realTime) {
      const due = start + sent * options.chunkMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
    }
    if (sent === 0) options.onFirst?.();
    yield bytes.subarray(from, offset + chunkBytes);
    sent++;
  }
}
