/**
 * A token bucket: holds up to `burst` tokens, refilled at `ratePerSecond`, full at
 * the start. Time is passed in (milliseconds, monotonic) so that tests can drive it.
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  private refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.lastMs);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    this.lastMs = nowMs;
  }

  /** Takes `cost` tokens and answers 0, or takes nothing and answers the milliseconds until it could. */
  take(nowMs: number, cost = 1): number {
    this.refill(nowMs);
    if (this.tokens >= cost) {
      this.tokens -= cost;
      return 0;
    }
    return ((cost - this.tokens) * 1000) / this.ratePerSecond;
  }

  /**
   * Milliseconds until the balance is above zero (0 when it is now). For costs known
   * only afterwards (seconds of audio): admit while positive, then `debit` what it cost.
   */
  waitUntilPositive(nowMs: number): number {
    this.refill(nowMs);
    if (this.tokens > 0) return 0;
    // Strictly above zero: a hair more than the debt.
    return ((-this.tokens + 1e-9) * 1000) / this.ratePerSecond;
  }

  /** Removes tokens after the fact; the balance may go below zero (a debt paid back by the refill). */
  debit(nowMs: number, amount: number): void {
    this.refill(nowMs);
    this.tokens -= amount;
  }
}
