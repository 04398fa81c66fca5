import { describe, expect, it } from 'vitest';
import { describeSteadiness, measureMachineSteadiness } from './machine-steadiness.js';

describe('measureMachineSteadiness', () => {
  it('measures both loops over the windows asked for and takes about their time', () => {
    const started = performance.now();
    const steadiness = measureMachineSteadiness({ windows: 4, windowMs: 20 });
    const took = performance.now() - started;
    expect(steadiness.windows).toBe(4);
    expect(steadiness.windowMs).toBe(20);
    for (const spread of [steadiness.memoryBound, steadiness.registerOnly]) {
      expect(Number.isFinite(spread)).toBe(true);
      expect(spread).toBeGreaterThanOrEqual(0);
    }
    // Two kinds × (4 windows + 1 discarded) × 20 ms, plus building the 1 MiB cycle.
    expect(took).toBeGreaterThanOrEqual(2 * 5 * 20);
    expect(took).toBeLessThan(5_000);
  });

  it('refuses windows it cannot compute a spread from', () => {
    expect(() => measureMachineSteadiness({ windows: 1 })).toThrow(/windows must be an integer ≥ 2, got 1/);
    expect(() => measureMachineSteadiness({ windowMs: 0 })).toThrow(/windowMs must be positive, got 0/);
  });

  it('says what was measured, in percent', () => {
    expect(describeSteadiness({ memoryBound: 0.0962, registerOnly: 0.0081, windows: 12, windowMs: 50 })).toBe(
      'memory-bound work varied 9.6% between 50 ms windows before the run, register-only work 0.8% (standard deviation of the log, 12 windows each)',
    );
  });
});
