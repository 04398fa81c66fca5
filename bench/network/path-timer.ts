/**
 * One timer for an emulated link's next event, closer to the due time than node's
 * millisecond timers: it aims early by the lateness it has seen (a moving average), and
 * finishes short waits on setImmediate when its tolerance is below 0.2 ms. `toleranceMs`
 * is how early an event may fire: the link passes on everything due within it.
 */
/** Paths whose tolerance is below this (round trips under 20 ms) finish their waits spinning. */
const spinBelowToleranceMs = 0.2;

export class PathTimer {
  private timeout: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private dueAt = Number.POSITIVE_INFINITY;
  /** setTimeout's lateness, as an exponential moving average (ms). */
  private lateMs = 1;
  private askedFor = 0;

  constructor(
    private readonly toleranceMs: number,
    private readonly fire: () => void,
  ) {}

  /** Fire at `dueAt` (performance.now() time) unless already set for sooner. */
  at(dueAt: number): void {
    if (this.pending() && dueAt >= this.dueAt) return;
    this.cancel();
    this.dueAt = dueAt;
    this.arm();
  }

  cancel(): void {
    clearTimeout(this.timeout);
    if (this.immediate) clearImmediate(this.immediate);
    this.timeout = undefined;
    this.immediate = undefined;
    this.dueAt = Number.POSITIVE_INFINITY;
  }

  private pending(): boolean {
    return this.timeout !== undefined || this.immediate !== undefined;
  }

  private arm(): void {
    const wait = this.dueAt - performance.now();
    const lead = Math.max(0, wait - this.lateMs);
    // Spinning on setImmediate costs the driver's process CPU: only for short paths (lan,
    // metro), where a timer's millisecond of slack would be a tenth of the round trip or more.
    if (wait <= this.toleranceMs || (lead < 1 && this.toleranceMs < spinBelowToleranceMs)) {
      this.immediate = setImmediate(() => this.check());
      return;
    }
    this.askedFor = performance.now() + lead;
    this.timeout = setTimeout(() => {
      this.timeout = undefined;
      this.lateMs = 0.9 * this.lateMs + 0.1 * Math.max(0, performance.now() - this.askedFor);
      this.check();
    }, lead);
  }

  private check(): void {
    this.immediate = undefined;
    if (performance.now() >= this.dueAt - this.toleranceMs) {
      this.dueAt = Number.POSITIVE_INFINITY;
      this.fire();
    } else this.arm();
  }
}
