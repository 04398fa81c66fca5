import { setTimeout as sleep } from 'node:timers/promises';

/** `realtime` sends chunk i at i × chunkMs after the first; `asap` as fast as the transport takes them. */
export type StreamingPace = 'realtime' | 'asap';

/** Waits until `dueMs` (performance.now() clock) unless `stop` settles first. */
export async function waitUntil(dueMs: number, stop: Promise<void>): Promise<void> {
  const wait = dueMs - performance.now();
  if (wait <= 0) return;
  const abort = new AbortController();
  try {
    await Promise.race([sleep(wait, undefined, { signal: abort.signal }), stop]);
  } finally {
    abort.abort();
  }
}
