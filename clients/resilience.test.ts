import { describe, expect, it } from 'vitest';
import { grpcServiceConfig, type RetryPolicy, resilienceProblems, retryBackoffMs } from './resilience.js';

const retry: RetryPolicy = {
  maxAttempts: 4,
  initialBackoffMs: 100,
  maxBackoffMs: 300,
  backoffMultiplier: 2,
  retryableCodes: ['UNAVAILABLE'],
};

describe('client resilience options', () => {
  it('backoff is random up to initial × multiplier^(n−1), capped at the maximum', () => {
    expect([1, 2, 3, 4].map((n) => retryBackoffMs(retry, n, () => 1))).toEqual([100, 200, 300, 300]);
    expect(retryBackoffMs(retry, 2, () => 0.5)).toBe(100);
  });

  it('become grpc-js service config', () => {
    expect(JSON.parse(grpcServiceConfig('speech.v1.SpeechService', retry))).toEqual({
      methodConfig: [
        {
          name: [{ service: 'speech.v1.SpeechService' }],
          retryPolicy: {
            maxAttempts: 4,
            initialBackoff: '0.100s',
            maxBackoff: '0.300s',
            backoffMultiplier: 2,
            retryableStatusCodes: ['UNAVAILABLE'],
          },
        },
      ],
    });
  });

  it('report every problem at once', () => {
    expect(
      resilienceProblems({
        retry: { ...retry, maxAttempts: 9, maxBackoffMs: 50, retryableCodes: ['OK', 'NOPE' as 'OK'] },
        keepalive: { intervalMs: 0, timeoutMs: 1000 },
      }),
    ).toEqual([
      'retry.maxAttempts must be an integer from 2 to 5, not 9',
      'retry.maxBackoffMs must not be below retry.initialBackoffMs',
      'retry.retryableCodes: OK is not an error code',
      'retry.retryableCodes: NOPE is not an error code',
      'keepalive.intervalMs must be a positive number, not 0',
    ]);
    expect(resilienceProblems({ retry })).toEqual([]);
  });
});
