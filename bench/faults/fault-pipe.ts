import type { StageOutput, ToxicStage } from './toxic.js';

/**
 * One direction of one proxied connection: the stages of the faults now on, in the order
 * they came on, then the destination. Stages come and go while bytes flow.
 */
export class FaultPipe {
  private readonly stages: { readonly id: number; readonly stage: ToxicStage }[] = [];
  private ended = false;

  constructor(private readonly destination: StageOutput) {}

  data(chunk: Buffer): void {
    this.at(0).data(chunk);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.at(0).end();
  }

  /** Adds a stage at the end of the chain; `make` gets the output that follows it. */
  add(id: number, make: (output: StageOutput) => ToxicStage): void {
    const output: StageOutput = {
      data: (chunk) => this.after(id).data(chunk),
      end: () => this.after(id).end(),
    };
    this.stages.push({ id, stage: make(output) });
  }

  /** Lifts a stage (what it holds moves on) and takes it out. */
  remove(id: number): void {
    const index = this.stages.findIndex((entry) => entry.id === id);
    if (index < 0) return;
    this.stages[index]!.stage.lift();
    this.stages.splice(index, 1);
  }

  /** Stops every stage's timers, the connection being gone. */
  dispose(): void {
    for (const { stage } of this.stages.splice(0)) stage.lift();
  }

  private at(index: number): StageOutput {
    return this.stages[index]?.stage ?? this.destination;
  }

  /** The output after stage `id`; a stage already taken out hands straight to the destination. */
  private after(id: number): StageOutput {
    const index = this.stages.findIndex((entry) => entry.id === id);
    return index < 0 ? this.destination : this.at(index + 1);
  }
}
