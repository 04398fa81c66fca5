import { describe, expect, it } from 'vitest';
import type { Repetition } from './results-types.js';
import { saturationWarning } from './saturation-warning.js';

const rep = (driverCpu: number, driverEventLoopP99Ms: number, driverWindowMs?: number) =>
  ({
    resources: {
      serverCpuUsPerRequest: 50,
      serverPeakRssBytes: 1,
      driverCpu,
      driverEventLoopP99Ms,
      driverSaturated: false,
      ...(driverWindowMs === undefined ? {} : { driverWindowMs }),
    },
  }) as unknown as Repetition;

describe('the saturation warning', () => {
  it('says nothing when neither signal fired', () => {
    expect(saturationWarning([rep(0.4, 2, 2000), rep(0.5, 3, 2000)])).toBeUndefined();
  });

  it('names the signal that fired, with its worst value and threshold, once', () => {
    expect(saturationWarning([rep(0.44, 10.05, 2500), rep(0.3, 2, 2500), rep(0.4, 12.5, 2500)])).toBe(
      'driver saturated in 2 of 3 repetitions by event-loop delay (p99 up to 12.5 ms > 10 ms, in 2): the driver may have set the pace',
    );
    expect(saturationWarning([rep(0.97, 48.2, 2500), rep(0.95, 2, 2500)])).toBe(
      'driver saturated in 2 of 2 repetitions by event-loop delay (p99 up to 48.2 ms > 10 ms, in 1) and CPU (up to 97% > 90% of a core, in 2): the driver may have set the pace',
    );
  });

  it('does not judge CPU over windows under a second, and says so', () => {
    expect(saturationWarning([rep(0.98, 1, 60), rep(0.3, 1, 70)])).toBe(
      'driver CPU up to 98% in 1 of 2 repetitions over windows of at most 60.0 ms: under 1 s, too short to judge saturation from CPU',
    );
  });
});
