import * as hdr from 'hdr-histogram-js';

export interface LatencyPercentilesUs {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly p9999: number;
  readonly max: number;
}

/** Up to an hour, in microseconds, to 3 significant digits: HDR's usual latency setup. */
const highestTrackableUs = 3_600_000_000;

/**
 * A latency histogram in microseconds. It encodes to HDR's compressed base64 form
 * so that histograms from repetitions, runs or machines merge exactly.
 */
export class LatencyHistogram {
  private constructor(private readonly histogram: hdr.Histogram) {}

  static create(): LatencyHistogram {
    return new LatencyHistogram(
      hdr.build({
        bitBucketSize: 64,
        autoResize: true,
        lowestDiscernibleValue: 1,
        highestTrackableValue: highestTrackableUs,
        numberOfSignificantValueDigits: 3,
      }),
    );
  }

  static decode(encoded: string): LatencyHistogram {
    return new LatencyHistogram(hdr.decodeFromCompressedBase64(encoded, 64));
  }

  /** Records one latency; values below 1 µs count as 1 µs. */
  recordUs(microseconds: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(microseconds)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  add(other: LatencyHistogram): void {
    this.histogram.add(other.histogram);
  }

  percentileUs(percentile: number): number {
    return this.histogram.getValueAtPercentile(percentile);
  }

  percentiles(): LatencyPercentilesUs {
    // HDR reports a bucket's upper edge, which can exceed the largest value recorded.
    const at = (p: number) => Math.min(this.histogram.getValueAtPercentile(p), this.histogram.maxValue);
    return {
      p50: at(50),
      p90: at(90),
      p99: at(99),
      p999: at(99.9),
      p9999: at(99.99),
      max: this.histogram.maxValue,
    };
  }

  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.histogram);
  }
}
