import { describe, expect, it } from 'vitest';
import { parseSlo, SloSyntaxError } from './slo.js';

describe('SLO expressions', () => {
  it('reads a percentile and a bound in µs, ms or s', () => {
    expect(parseSlo('p99<20ms')).toEqual({ percentile: 'p99', boundUs: 20_000, text: 'p99<20ms' });
    expect(parseSlo('p50<800us').boundUs).toBe(800);
    expect(parseSlo('p50<800µs').boundUs).toBe(800);
    expect(parseSlo('p999<1.5s')).toMatchObject({ percentile: 'p999', boundUs: 1_500_000 });
    expect(parseSlo('p90 < 2.25ms')).toMatchObject({ percentile: 'p90', boundUs: 2250 });
  });

  it('refuses anything else', () => {
    for (const text of [
      '',
      'p99',
      'p99<20',
      'p99<=20ms',
      'p99>20ms',
      'P99<20ms',
      'p95<20ms',
      'p9999<20ms',
      'p99<-1ms',
      'p99<0ms',
      'p99<1e3ms',
      'p99<20 ms',
      'p99<20msx',
      ' p99<20ms',
      'p99<20ms ',
      'p99<.5ms',
      'p99<20ms,p50<5ms',
    ]) {
      expect(() => parseSlo(text), text).toThrow(SloSyntaxError);
    }
  });
});
