import { describe, expect, it } from 'vitest';
import { holmRejections } from './family-gate.js';
import { mulberry32 } from './prng.js';

describe("Holm's family-wise gate", () => {
  it('steps down from the smallest p-value and stops at the first it cannot reject', () => {
    // m = 4: 0.01 ≤ 0.05/4, 0.015 ≤ 0.05/3, 0.03 > 0.05/2 stops: 0.04 is not rejected either.
    expect(holmRejections([0.03, 0.01, 0.04, 0.015])).toEqual([false, true, false, true]);
    expect(holmRejections([])).toEqual([]);
    expect(holmRejections([Number.NaN, 0.001])).toEqual([false, true]);
  });

  it('keeps the chance of any false alarm in a 90-row table at or under 5% (seeded, null p-values uniform)', () => {
    const random = mulberry32(90);
    let tablesWithAlarm = 0;
    let rowsAt5Percent = 0;
    const tables = 4000;
    for (let t = 0; t < tables; t++) {
      const p = Array.from({ length: 90 }, () => random());
      if (holmRejections(p).some(Boolean)) tablesWithAlarm++;
      if (p.some((value) => value < 0.05)) rowsAt5Percent++;
    }
    expect(tablesWithAlarm / tables).toBeLessThanOrEqual(0.06);
    expect(tablesWithAlarm / tables).toBeGreaterThan(0.03);
    // Row by row at 5%, almost every unchanged table would fail.
    expect(rowsAt5Percent / tables).toBeGreaterThan(0.98);
  });
});
