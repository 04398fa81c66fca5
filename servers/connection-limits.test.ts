import { describe, expect, it } from 'vitest';
import {
  connectionLimitProblems,
  connectionsCheckingIntervalMs,
  defaultConnectionLimits,
} from './connection-limits.js';

describe('connection limits', () => {
  it('checks for late requests often enough that a timeout fires within a quarter of itself (≤ 1 s)', () => {
    expect(connectionsCheckingIntervalMs(defaultConnectionLimits)).toBe(1_000);
    expect(connectionsCheckingIntervalMs({ ...defaultConnectionLimits, headersTimeoutMs: 500 })).toBe(125);
    expect(connectionsCheckingIntervalMs({ ...defaultConnectionLimits, headersTimeoutMs: 1 })).toBe(100);
  });

  it('refuses a headers timeout longer than the request timeout, as node would', () => {
    expect(connectionLimitProblems(defaultConnectionLimits)).toEqual([]);
    expect(
      connectionLimitProblems({
        ...defaultConnectionLimits,
        headersTimeoutMs: 5_000,
        requestTimeoutMs: 1_000,
      }),
    ).toHaveLength(1);
  });

  it('defaults leave room for a real-time upload of the longest allowed audio (60 s)', () => {
    expect(defaultConnectionLimits.requestTimeoutMs).toBeGreaterThan(60_000);
  });
});
