import type { LatencyPercentilesUs } from '../stats/latency-histogram.js';

export type SloPercentile = 'p50' | 'p90' | 'p99' | 'p999';

/** A latency objective such as `p99<20ms`: the corrected percentile must stay strictly below the bound. */
export interface Slo {
  readonly percentile: SloPercentile;
  readonly boundUs: number;
  /** The expression as given, for reports. */
  readonly text: string;
}

export class SloSyntaxError extends Error {
  override readonly name = 'SloSyntaxError';
}

const microsecondsPer: Record<string, number> = { us: 1, µs: 1, ms: 1000, s: 1_000_000 };

/** Spaces only around `<`; nothing else is forgiven (no `<=`, no missing unit, no upper case). */
const sloPattern = /^(p50|p90|p99|p999) *< *(\d+(?:\.\d+)?)(us|µs|ms|s)$/;

export function parseSlo(text: string): Slo {
  const match = sloPattern.exec(text);
  if (match === null) {
    throw new SloSyntaxError(
      `cannot read the SLO ${JSON.stringify(text)}: expected <percentile><<bound><unit>, ` +
        'with percentile p50, p90, p99 or p999 and unit us, ms or s, for example p99<20ms',
    );
  }
  const [, percentile, amount, unit] = match;
  const boundUs = Number(amount) * microsecondsPer[unit!]!;
  if (!(boundUs > 0))
    throw new SloSyntaxError(`the SLO bound must be above zero, got ${JSON.stringify(text)}`);
  return { percentile: percentile as SloPercentile, boundUs, text };
}

export function sloPercentileUs(slo: Slo, percentiles: LatencyPercentilesUs): number {
  return percentiles[slo.percentile];
}
