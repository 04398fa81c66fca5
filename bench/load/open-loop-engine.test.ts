import { describe, expect, it } from 'vitest';
import { requestsInStage, runOpenLoopStages } from './open-loop-engine.js';

describe('open-loop schedule', () => {
  it('counts the send times k / rate inside [0, duration)', () => {
    expect(requestsInStage(2000, 10_000)).toBe(20_000);
    expect(requestsInStage(333, 1000)).toBe(333);
    expect(requestsInStage(333.5, 1000)).toBe(334);
    expect(requestsInStage(0.5, 1000)).toBe(1);
    expect(requestsInStage(1000, 0)).toBe(0);
    // 0.1 × 30 is 3.0000000000000004 in floating point: still 3 send times (0, 10 s, 20 s).
    expect(requestsInStage(0.1, 30_000)).toBe(3);
  });

  it('refuses impossible settings before it starts', () => {
    const options = { inFlightPerConnection: 1, maxLateMs: 1000, graceMs: 0 };
    const stage = { ratePerSecond: 10, durationMs: 100, measured: true };
    expect(() => runOpenLoopStages([], [stage], options)).toThrow(RangeError);
    const connection = {
      send: () => Promise.resolve({ kind: 'ok' as const }),
      bytesWritten: 0,
      bytesRead: 0,
    };
    expect(() => runOpenLoopStages([connection], [{ ...stage, ratePerSecond: 0 }], options)).toThrow(
      RangeError,
    );
    expect(() => runOpenLoopStages([connection], [stage], { ...options, inFlightPerConnection: 0 })).toThrow(
      RangeError,
    );
    expect(() => runOpenLoopStages([connection], [stage], { ...options, maxLateMs: -1 })).toThrow(RangeError);
  });
});
