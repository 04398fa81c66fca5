import { describe, expect, it } from 'vitest';
import { CongestionWindow, initialSegments, minRtoMs, segmentBytes } from './congestion-window.js';

/** Sends a full window every round trip and acks it one round trip later; the window at each round's start. */
function rounds(window: CongestionWindow, count: number, rttMs: number, start = 0): number[] {
  const seen: number[] = [];
  for (let round = 0; round < count; round++) {
    const bytes = window.room();
    seen.push(window.windowBytes);
    window.sent(bytes, start + round * rttMs);
    window.acked(bytes);
  }
  return seen;
}

describe('congestion window', () => {
  const wan = { rttMs: 50, pipeMs: 50, bytesPerMs: 6250 };

  it('starts at 10 segments and doubles per round trip while the sender fills it, up to the BDP', () => {
    const window = new CongestionWindow(wan);
    const seen = rounds(window, 8, 50);
    expect(seen[0]).toBe(initialSegments * segmentBytes);
    expect(seen[1]).toBe(2 * seen[0]!);
    expect(seen[3]).toBe(8 * seen[0]!);
    expect(seen.at(-1)).toBe(50 * 6250);
  });

  it('does not grow for a sender that leaves it mostly empty', () => {
    const window = new CongestionWindow(wan);
    for (let i = 0; i < 20; i++) {
      window.sent(100, i * 10);
      window.acked(100);
    }
    expect(window.windowBytes).toBe(initialSegments * segmentBytes);
  });

  it('restarts after an idle longer than the retransmission timeout, halving per timeout, never below 10 segments', () => {
    const window = new CongestionWindow(wan);
    rounds(window, 8, 50);
    const full = window.windowBytes;
    const lastSend = 7 * 50;
    // Idle just under one timeout: kept.
    window.sent(1, lastSend + window.rtoMs - 1);
    window.acked(1);
    expect(window.windowBytes).toBe(full);
    expect(window.rtoMs).toBe(50 + minRtoMs);
    // Idle 2.5 timeouts: halved once per whole timeout past the first (Linux's loop), to full/4.
    window.sent(1, lastSend + window.rtoMs - 1 + 2.5 * window.rtoMs);
    expect(window.windowBytes).toBe(full / 4);
    expect(window.restarts).toBe(1);
    window.acked(1);
    // Long idle: back to the initial window.
    window.sent(1, 1e6);
    expect(window.windowBytes).toBe(initialSegments * segmentBytes);
  });
});
