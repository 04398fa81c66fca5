/**
 * One seed per test file, printed, so a failing run can be repeated exactly:
 * FUZZ_SEED=1234 npx vitest run test/fuzz. FUZZ_CASES scales the case count.
 */
export function fuzzSeed(): number {
  const fixed = process.env.FUZZ_SEED;
  if (fixed !== undefined && /^\d+$/.test(fixed)) return Number(fixed) >>> 0;
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}

export function fuzzCases(fallback: number): number {
  const value = process.env.FUZZ_CASES;
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : fallback;
}
