/**
 * A toxic is one fault's behaviour on one direction of one proxied connection: a stage
 * that data and the end of the stream pass through on their way to the other socket.
 * Stages are added while a fault is on and removed (after `lift`) when it goes off.
 */

/** What a stage may do to the connection it sits in. */
export interface ConnectionControls {
  /** Resets (TCP RST) the socket this direction's bytes go to, and destroys the other. */
  reset(): void;
  /** Ends both sockets (FIN), after what was written to them. */
  close(): void;
}

/** Where a stage hands data on: the next stage, or the destination socket. */
export interface StageOutput {
  data(chunk: Buffer): void;
  end(): void;
}

export interface ToxicStage {
  data(chunk: Buffer): void;
  end(): void;
  /** The fault went off (or the connection closed): hand on what is held, stop every timer. */
  lift(): void;
}

export type ToxicFactory = (output: StageOutput, connection: ConnectionControls) => ToxicStage;

/** A stage that holds an ordered queue and one timer at most: the base of the timed toxics. */
export abstract class TimedQueue<Item> implements ToxicStage {
  protected readonly queue: { readonly item: Item | 'end'; readonly dueAt: number }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(protected readonly output: StageOutput) {}

  abstract data(chunk: Buffer): void;

  end(): void {
    this.enqueue('end', this.lastDue());
  }

  lift(): void {
    this.clearTimer();
    for (const { item } of this.queue.splice(0)) this.emit(item);
  }

  protected abstract pass(item: Item): void;

  protected lastDue(): number {
    return this.queue.at(-1)?.dueAt ?? performance.now();
  }

  protected enqueue(item: Item | 'end', dueAt: number): void {
    this.queue.push({ item, dueAt });
    if (!this.timer) this.schedule();
  }

  private emit(item: Item | 'end'): void {
    if (item === 'end') this.output.end();
    else this.pass(item);
  }

  private schedule(): void {
    const head = this.queue[0];
    if (!head) return;
    this.timer = setTimeout(() => this.release(), Math.max(0, head.dueAt - performance.now()));
  }

  private release(): void {
    this.timer = undefined;
    const now = performance.now();
    while (this.queue[0] && this.queue[0].dueAt <= now + 1) this.emit(this.queue.shift()!.item);
    this.schedule();
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
