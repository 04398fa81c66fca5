import { describe, expect, it } from 'vitest';
import { memoryGrowth } from './memory-growth.js';

const mb = 2 ** 20;

describe('memoryGrowth', () => {
  it('compares the medians of the first and the last tenth after warm-up', () => {
    // 20 samples: stretches of 2. A steady climb from 100 MB to 119 MB.
    const climb = Array.from({ length: 20 }, (_, i) => (100 + i) * mb);
    const growth = memoryGrowth(climb)!;
    expect(growth.samplesPerStretch).toBe(2);
    expect(growth.afterWarmupBytes).toBe(100.5 * mb);
    expect(growth.endBytes).toBe(118.5 * mb);
    expect(growth.percent).toBeCloseTo((18 / 100.5) * 100, 6);
  });

  it('is not swayed by one sample caught mid-collection', () => {
    const flat = Array.from({ length: 30 }, () => 200 * mb);
    flat[29] = 260 * mb;
    expect(memoryGrowth(flat)!.percent).toBe(0);
  });

  it('reports a shrink as negative, and nothing from fewer than two samples', () => {
    expect(memoryGrowth([200 * mb, 150 * mb])!.percent).toBe(-25);
    expect(memoryGrowth([200 * mb])).toBeUndefined();
    expect(memoryGrowth([])).toBeUndefined();
  });
});
