/**
 * TCP's congestion window on an emulated path, as Linux keeps it for a sender when no
 * segment is lost: slow start from 10 segments (RFC 6928), the window growing by what
 * each acknowledgement covers (doubling per round trip) while the sender fills it, up to
 * the path's pipe size (the bandwidth-delay product and the emulation's slack, which
 * emulated-link.ts works out); and, after the sender has been idle longer than one
 * retransmission timeout, the restart Linux makes by default (net.ipv4.tcp_slow_start_after_idle=1,
 * tcp_cwnd_restart): the window halved once per timeout elapsed, never below the initial window.
 *
 * Loopback sockets start at the same 10 segments, but their round trip is microseconds,
 * so the window is never what limits them; on a 50 ms path it is.
 */

/** Linux's MSS with TCP timestamps on a 1500-byte MTU. */
export const segmentBytes = 1448;
export const initialSegments = 10;
/** Linux's TCP_RTO_MIN: the timeout is the round trip plus at least this. */
export const minRtoMs = 200;

export interface CongestionWindowSettings {
  /** The path's mean round trip, ms. */
  readonly rttMs: number;
  /**
   * How long a byte is in flight at the full rate, ms: the round trip plus what the
   * emulation adds to it (the bottleneck's serialisation of a piece, jitter's reordering
   * guard, timer slack), so that a window of pipeMs × rate fills the pipe.
   */
  readonly pipeMs: number;
  /** The bottleneck's rate in this direction, bytes a millisecond. */
  readonly bytesPerMs: number;
}

export class CongestionWindow {
  readonly initialBytes = initialSegments * segmentBytes;
  /** The pipe size, where growth stops (no loss ever tells the sender to stop sooner). */
  readonly maxBytes: number;
  readonly rtoMs: number;
  private cwnd: number;
  private ssthresh = Number.POSITIVE_INFINITY;
  private inFlight = 0;
  /** The most in flight since the path was last idle: growth needs a sender that fills the window. */
  private peakInFlight = 0;
  private lastSendAt = Number.NEGATIVE_INFINITY;
  private restartCount = 0;

  constructor(settings: CongestionWindowSettings) {
    this.maxBytes = Math.max(this.initialBytes, Math.ceil(settings.pipeMs * settings.bytesPerMs));
    this.rtoMs = settings.rttMs + minRtoMs;
    this.cwnd = this.initialBytes;
  }

  /** Bytes the sender may put on the path now. */
  room(): number {
    return Math.max(0, this.cwnd - this.inFlight);
  }

  get windowBytes(): number {
    return this.cwnd;
  }

  get bytesInFlight(): number {
    return this.inFlight;
  }

  /** Times the window restarted after idle. */
  get restarts(): number {
    return this.restartCount;
  }

  /** `bytes` leave the sender at `now` (ms). */
  sent(bytes: number, now: number): void {
    if (this.inFlight === 0 && now - this.lastSendAt > this.rtoMs)
      this.restartAfterIdle(now - this.lastSendAt);
    this.inFlight += bytes;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    this.lastSendAt = now;
  }

  /** An acknowledgement for `bytes` reaches the sender. */
  acked(bytes: number): void {
    // As tcp_is_cwnd_limited: in slow start, grow while the sender had at least half the window out.
    const limited = this.cwnd < 2 * this.peakInFlight;
    this.inFlight = Math.max(0, this.inFlight - bytes);
    if (this.inFlight === 0) this.peakInFlight = 0;
    if (!limited || this.cwnd >= this.maxBytes) return;
    const growth = this.cwnd < this.ssthresh ? bytes : (segmentBytes * bytes) / this.cwnd;
    this.cwnd = Math.min(this.maxBytes, this.cwnd + growth);
  }

  /** tcp_cwnd_restart: ssthresh keeps ¾ of the window, which halves per timeout elapsed. */
  private restartAfterIdle(idleMs: number): void {
    if (!Number.isFinite(idleMs)) return;
    this.restartCount++;
    // tcp_current_ssthresh: with no loss ssthresh is still infinite, so slow start runs again to the top.
    this.ssthresh = Math.max(this.ssthresh, (this.cwnd * 3) / 4);
    const restart = Math.min(this.initialBytes, this.cwnd);
    let cwnd = this.cwnd;
    for (let left = idleMs - this.rtoMs; left > 0 && cwnd > restart; left -= this.rtoMs) cwnd /= 2;
    this.cwnd = Math.max(cwnd, restart);
  }
}
