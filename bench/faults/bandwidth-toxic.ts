import type { StageOutput, ToxicFactory } from './toxic.js';
import { TimedQueue } from './toxic.js';

/** Slices of at most this long a send, so that a big write trickles rather than waits whole. */
const sliceMs = 20;

/** At most `rateKBps` × 1000 bytes a second: each slice leaves once the ones before it have "drained". */
class BandwidthStage extends TimedQueue<Buffer> {
  private readonly bytesPerMs: number;
  private readonly sliceBytes: number;

  constructor(output: StageOutput, rateKBps: number) {
    super(output);
    this.bytesPerMs = rateKBps;
    this.sliceBytes = Math.max(1, Math.floor(rateKBps * sliceMs));
  }

  data(chunk: Buffer): void {
    for (let offset = 0; offset < chunk.length; offset += this.sliceBytes) {
      const slice = chunk.subarray(offset, offset + this.sliceBytes);
      // A slice leaves when the link is free, and holds it for its own length.
      const start = Math.max(this.lastDue(), performance.now());
      this.enqueue(slice, start + slice.length / this.bytesPerMs);
    }
  }

  protected pass(slice: Buffer): void {
    this.output.data(slice);
  }
}

export const bandwidthToxic =
  (rateKBps: number): ToxicFactory =>
  (output) =>
    new BandwidthStage(output, rateKBps);
