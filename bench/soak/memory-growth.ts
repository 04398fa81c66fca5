import type { MemoryGrowth } from './soak-types.js';

/** Share of the post-warm-up samples that make each of the two compared stretches. */
const stretchShare = 0.1;

/**
 * Memory growth after warm-up (RSS, or heap): the median of the first tenth of the post-warm-up samples
 * against the median of the last tenth. Medians, so that one garbage collection caught
 * mid-way (RSS briefly up or down) does not decide the verdict.
 */
export function memoryGrowth(rssAfterWarmup: readonly number[]): MemoryGrowth | undefined {
  if (rssAfterWarmup.length < 2) return undefined;
  const stretch = Math.max(
    1,
    Math.min(Math.floor(rssAfterWarmup.length / 2), Math.round(rssAfterWarmup.length * stretchShare)),
  );
  const afterWarmupBytes = median(rssAfterWarmup.slice(0, stretch));
  const endBytes = median(rssAfterWarmup.slice(-stretch));
  return {
    afterWarmupBytes,
    endBytes,
    percent: afterWarmupBytes > 0 ? ((endBytes - afterWarmupBytes) / afterWarmupBytes) * 100 : 0,
    samplesPerStretch: stretch,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
