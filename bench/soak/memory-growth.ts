import type { MemoryGrowth, SampledGrowth } from './soak-types.js';

/** Share of the post-warm-up samples that make each of the two compared stretches. */
const stretchShare = 0.1;

/**
 * Sampled memory growth after warm-up: the median of the first tenth of the post-warm-up samples
 * against the median of the last tenth. Medians, so that one garbage collection caught
 * mid-way (RSS briefly up or down) does not decide the verdict.
 */
export function sampledGrowth(rssAfterWarmup: readonly number[]): SampledGrowth | undefined {
  if (rssAfterWarmup.length < 2) return undefined;
  const stretch = Math.max(
    1,
    Math.min(Math.floor(rssAfterWarmup.length / 2), Math.round(rssAfterWarmup.length * stretchShare)),
  );
  const growth = growthBetween(
    median(rssAfterWarmup.slice(0, stretch)),
    median(rssAfterWarmup.slice(-stretch)),
  );
  return { ...growth, samplesPerStretch: stretch };
}

export function growthBetween(afterWarmupBytes: number, endBytes: number): MemoryGrowth {
  return {
    afterWarmupBytes,
    endBytes,
    percent: afterWarmupBytes > 0 ? ((endBytes - afterWarmupBytes) / afterWarmupBytes) * 100 : 0,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
