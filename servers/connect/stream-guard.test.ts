import { describe, expect, it } from 'vitest';
import { grpcTimeoutMs } from './stream-guard.js';

describe('grpcTimeoutMs reads the grpc-timeout header', () => {
  it.each([
    ['500m', 500],
    ['2S', 2_000],
    ['1M', 60_000],
    ['1H', 3_600_000],
    ['1500u', 2],
    ['10n', 1],
  ])('%s is %i ms', (header, ms) => {
    expect(grpcTimeoutMs(header)).toBe(ms);
  });

  it.each([undefined, '', '5', '123456789S', '5x', '-5S', ['5S']])('ignores %j', (header) => {
    expect(grpcTimeoutMs(header)).toBeUndefined();
  });
});
