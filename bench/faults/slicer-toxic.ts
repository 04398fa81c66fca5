import type { StageOutput, ToxicFactory } from './toxic.js';
import { TimedQueue } from './toxic.js';

/** Writes split into pieces of `averageSize ± sizeVariation` bytes, each its own write, `delayMs` apart. */
class SlicerStage extends TimedQueue<Buffer> {
  constructor(
    output: StageOutput,
    private readonly averageSize: number,
    private readonly sizeVariation: number,
    private readonly delayMs: number,
  ) {
    super(output);
  }

  data(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const variation = Math.round((Math.random() * 2 - 1) * this.sizeVariation);
      const size = Math.max(1, this.averageSize + variation);
      const piece = chunk.subarray(offset, offset + size);
      offset += size;
      if (this.delayMs === 0 && this.queue.length === 0) this.output.data(piece);
      else this.enqueue(piece, Math.max(this.lastDue(), performance.now()) + this.delayMs);
    }
  }

  protected pass(piece: Buffer): void {
    this.output.data(piece);
  }
}

export const slicerToxic =
  (averageSize: number, sizeVariation: number, delayMs: number): ToxicFactory =>
  (output) =>
    new SlicerStage(output, averageSize, sizeVariation, delayMs);
