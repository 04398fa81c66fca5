import type { StageOutput, ToxicFactory } from './toxic.js';
import { TimedQueue } from './toxic.js';

/** Each chunk waits `latencyMs ± jitterMs`; chunks never overtake each other, as on one TCP stream. */
class LatencyStage extends TimedQueue<Buffer> {
  constructor(
    output: StageOutput,
    private readonly latencyMs: number,
    private readonly jitterMs: number,
  ) {
    super(output);
  }

  data(chunk: Buffer): void {
    const delay = Math.max(0, this.latencyMs + (Math.random() * 2 - 1) * this.jitterMs);
    this.enqueue(chunk, Math.max(this.lastDue(), performance.now() + delay));
  }

  protected pass(chunk: Buffer): void {
    this.output.data(chunk);
  }
}

export const latencyToxic =
  (latencyMs: number, jitterMs: number): ToxicFactory =>
  (output) =>
    new LatencyStage(output, latencyMs, jitterMs);
