import type { CallClosure } from './call-closure.js';

/** Where audio goes: a writable call, as grpc-js and node:http both offer one. */
export interface AudioSink {
  /** False when the transport's buffer is full: wait for `drain` on `emitter`. */
  write(chunk: Uint8Array): boolean;
  /** No more audio (half-close). */
  end(): void;
  readonly emitter: NodeJS.EventEmitter;
}

/**
 * Hands `audio` to the call chunk by chunk, then half-closes. Every wait (for the
 * next chunk, for `drain`) gives up when the call ends, whoever ended it, because
 * a call that is over never drains and a source may never end by itself; the
 * source is then closed (its `return()`), so that it stops producing. Rejects with
 * the source's own error when the source throws.
 */
export async function pumpAudio(
  audio: AsyncIterable<Uint8Array>,
  closure: CallClosure,
  sink: AudioSink,
): Promise<void> {
  const iterator = audio[Symbol.asyncIterator]();
  // Until the source ends or throws, it is ours to close.
  let sourceOpen = true;
  try {
    while (!closure.isClosed) {
      let next: IteratorResult<Uint8Array> | undefined;
      try {
        next = await closure.whileOpen(Promise.resolve().then(() => iterator.next()));
      } catch (error) {
        sourceOpen = false;
        throw error;
      }
      if (next === undefined) return;
      if (next.done) {
        sourceOpen = false;
        if (!closure.isClosed) sink.end();
        return;
      }
      if (!sink.write(next.value) && !(await closure.waitFor(sink.emitter, 'drain'))) return;
    }
  } finally {
    if (sourceOpen) closeSource(iterator);
  }
}

function closeSource(iterator: AsyncIterator<Uint8Array>): void {
  // Not awaited: a source's return() waits for its pending next() (a paced source's
  // sleep, say), and the call's end must not wait for the source. A failure to
  // close has nobody left to report to once the call is over.
  try {
    Promise.resolve(iterator.return?.()).catch(() => {});
  } catch {
    // a synchronous throw from return(): same as above
  }
}
