import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { pumpAudio } from '../../clients/audio-pump.js';
import { CallClosure } from '../../clients/call-closure.js';
import { ServiceError } from '../../servers/core/service-error.js';
import { settleWithin, TrackedAudio } from '../support/tracked-audio.js';

/** A transport whose buffer is full after `room` writes and that never drains. */
function stuckSink(room: number) {
  const written: Uint8Array[] = [];
  let ended = false;
  return {
    written,
    get ended() {
      return ended;
    },
    sink: {
      emitter: new EventEmitter(),
      write(chunk: Uint8Array) {
        written.push(chunk);
        return written.length < room;
      },
      end() {
        ended = true;
      },
    },
  };
}

const paced = { chunkBytes: 4, chunkMs: 10, maxMs: 30_000 };

describe('pumpAudio', () => {
  it('stops waiting for a drain that never comes when the call ends, and closes the source', async () => {
    const audio = new TrackedAudio(new Uint8Array(0), paced);
    const closure = new CallClosure();
    const target = stuckSink(2);
    const pump = pumpAudio(audio, closure, target.sink);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(target.written).toHaveLength(2);
    closure.close(new ServiceError('INVALID_ARGUMENT', 'rejected'));
    expect((await settleWithin(pump, 1000)).kind).toBe('value');
    expect(audio.returnCalls).toBe(1);
    expect(target.ended).toBe(false);
  });

  it('stops waiting for the next chunk when the call ends', async () => {
    const audio = new TrackedAudio(new Uint8Array(0), { ...paced, chunkMs: 10_000 });
    const closure = new CallClosure();
    const target = stuckSink(100);
    const pump = pumpAudio(audio, closure, target.sink);
    await new Promise((resolve) => setTimeout(resolve, 50));
    closure.close(undefined);
    expect((await settleWithin(pump, 1000)).kind).toBe('value');
    expect(target.written).toHaveLength(1);
    expect(audio.returnCalls).toBe(1);
  });

  it('half-closes after a source that ends, without closing it again', async () => {
    const audio = new TrackedAudio(new Uint8Array(8), { chunkBytes: 4, chunkMs: 1, maxMs: 3 });
    const target = stuckSink(100);
    await pumpAudio(audio, new CallClosure(), target.sink);
    expect(target.written).toHaveLength(3);
    expect(target.ended).toBe(true);
    expect(audio.returnCalls).toBe(0);
  });

  it("rejects with the source's own error", async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(4);
      throw new Error('microphone unplugged');
    }
    const target = stuckSink(100);
    await expect(pumpAudio(failing(), new CallClosure(), target.sink)).rejects.toThrow(
      'microphone unplugged',
    );
    expect(target.ended).toBe(false);
  });
});
