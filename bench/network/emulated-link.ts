/**
 * One direction of an emulated network path, between the proxy's two sockets: a
 * bottleneck of `bytesPerMs`, then a delay line of half the round trip (± jitter), with
 * bytes pipelined (a piece leaves as soon as the bottleneck is free, never waiting for the
 * one before it to arrive) and in order. With the congestion window on, the sender may
 * have at most a window's bytes on the path, and each piece's acknowledgement comes back
 * half a round trip after it arrives (congestion-window.ts).
 *
 * Backpressure: what the link holds (not yet sent, on the path, and unwritten at the
 * destination) is bounded; past the bound the source socket is paused, so that a sender
 * is held back as by a real path's windows instead of its upload vanishing into the proxy
 * at loopback speed.
 */
import type { StageOutput } from '../faults/toxic.js';
import { CongestionWindow, segmentBytes } from './congestion-window.js';
import { bytesPerMs } from './network-profile.js';
import { PathTimer } from './path-timer.js';

export interface LinkSettings {
  readonly rttMs: number;
  /** Each way: half the round trip. */
  readonly oneWayMs: number;
  /** Each way: ± this, uniform. */
  readonly jitterMs: number;
  readonly bytesPerMs: number;
  readonly congestionWindow: boolean;
}

/** How the link holds its source back. */
export interface LinkFlow {
  pause(): void;
  resume(): void;
  /** Bytes written to the destination socket and not yet taken by the kernel. */
  unwritten(): number;
}

type Item = Buffer | 'end';

export class EmulatedLink implements StageOutput {
  readonly window: CongestionWindow | undefined;
  private readonly pending: Item[] = [];
  private pendingBytes = 0;
  private readonly transit: { readonly dueAt: number; readonly item: Item }[] = [];
  private transitBytes = 0;
  private readonly acks: { readonly dueAt: number; readonly bytes: number }[] = [];
  private bottleneckFreeAt = 0;
  private lastArrival = 0;
  private lastAck = 0;
  private paused = false;
  private disposed = false;
  private readonly timer: PathTimer;
  /** Most bytes the bottleneck serialises in one piece: about 2 ms of the link, at least a segment. */
  private readonly pieceBytes: number;
  private readonly limitBytes: number;
  /** How early a due piece may be passed on: a small share of the round trip, so that long paths never spin. */
  private readonly toleranceMs: number;

  constructor(
    private readonly settings: LinkSettings,
    private readonly output: StageOutput,
    private readonly flow: LinkFlow,
  ) {
    this.pieceBytes = Math.min(64 * 1024, Math.max(segmentBytes, Math.round(settings.bytesPerMs * 2)));
    // A piece is in flight for the round trip, its own serialisation and its ack's, and the
    // jitter's in-order guard (up to the jitter each way); a quarter more and 2 ms cover
    // timers that fire late on a busy machine, which would otherwise stall the ack clock.
    const pipeMs =
      1.25 * settings.rttMs + 2 * settings.jitterMs + (2 * this.pieceBytes) / settings.bytesPerMs + 2;
    this.window = settings.congestionWindow
      ? new CongestionWindow({ rttMs: settings.rttMs, pipeMs, bytesPerMs: settings.bytesPerMs })
      : undefined;
    // A sender's kernel keeps about a window more than it has in flight (its send buffer).
    const bdp = settings.rttMs * settings.bytesPerMs;
    this.limitBytes = 2 * Math.max(bdp, 64 * 1024);
    this.toleranceMs = Math.max(0.02, Math.min(0.25, 0.01 * settings.rttMs));
    this.timer = new PathTimer(this.toleranceMs, () => this.tick());
  }

  data(chunk: Buffer): void {
    if (this.disposed) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.release(performance.now());
    this.holdBack();
  }

  end(): void {
    if (this.disposed) return;
    this.pending.push('end');
    this.release(performance.now());
  }

  /** The destination drained: the source may go on. */
  recheck(): void {
    this.holdBack();
  }

  /** What the link holds: not yet sent, on the path, or unwritten at the destination. */
  get heldBytes(): number {
    return this.pendingBytes + this.transitBytes + this.flow.unwritten();
  }

  dispose(): void {
    this.disposed = true;
    this.timer.cancel();
    this.pending.splice(0);
    this.transit.splice(0);
    this.acks.splice(0);
  }

  private jitter(): number {
    return this.settings.jitterMs === 0 ? 0 : (Math.random() * 2 - 1) * this.settings.jitterMs;
  }

  /** Puts on the path what the congestion window allows. */
  private release(now: number): void {
    while (this.pending.length > 0) {
      const head = this.pending[0]!;
      if (head === 'end') {
        this.pending.shift();
        this.lastArrival = Math.max(this.lastArrival, now);
        this.transit.push({ dueAt: this.lastArrival, item: 'end' });
        continue;
      }
      const room = this.window ? this.window.room() : Number.POSITIVE_INFINITY;
      if (room <= 0) break;
      const n = Math.min(head.length, this.pieceBytes, room);
      const piece = n === head.length ? head : head.subarray(0, n);
      if (n === head.length) this.pending.shift();
      else this.pending[0] = head.subarray(n);
      this.pendingBytes -= n;
      const start = Math.max(now, this.bottleneckFreeAt);
      this.bottleneckFreeAt = start + n / this.settings.bytesPerMs;
      // In order, as on one TCP stream: a piece never overtakes the one before it.
      this.lastArrival = Math.max(
        this.lastArrival,
        this.bottleneckFreeAt + this.settings.oneWayMs + this.jitter(),
      );
      this.transit.push({ dueAt: this.lastArrival, item: piece });
      this.transitBytes += n;
      if (this.window) {
        this.window.sent(n, now);
        this.lastAck = Math.max(this.lastAck, this.lastArrival + this.settings.oneWayMs + this.jitter());
        this.acks.push({ dueAt: this.lastAck, bytes: n });
      }
    }
    this.schedule();
  }

  private tick(): void {
    if (this.disposed) return;
    const now = performance.now();
    const horizon = now + this.toleranceMs;
    while (this.transit.length > 0 && this.transit[0]!.dueAt <= horizon) {
      const { item } = this.transit.shift()!;
      if (item === 'end') this.output.end();
      else {
        this.transitBytes -= item.length;
        this.output.data(item);
      }
    }
    while (this.acks.length > 0 && this.acks[0]!.dueAt <= horizon)
      this.window!.acked(this.acks.shift()!.bytes);
    this.release(now);
    this.holdBack();
  }

  private schedule(): void {
    const next = Math.min(this.transit[0]?.dueAt ?? Infinity, this.acks[0]?.dueAt ?? Infinity);
    if (Number.isFinite(next)) this.timer.at(next);
  }

  private holdBack(): void {
    const held = this.heldBytes;
    if (!this.paused && held > this.limitBytes) {
      this.paused = true;
      this.flow.pause();
    } else if (this.paused && held <= this.limitBytes / 2) {
      this.paused = false;
      this.flow.resume();
    }
  }
}

/**
 * One direction's link settings from a path's: half the round trip and half the jitter
 * each way, less half the round trip the proxy itself adds (measured: proxy-round-trip.ts),
 * so that the driver sees the profile's round trip.
 */
export function linkSettings(
  path: { rttMs: number; jitterMs: number; congestionWindow: boolean },
  mbps: number,
  proxyRttMs = 0,
): LinkSettings {
  return {
    rttMs: path.rttMs,
    oneWayMs: Math.max(0, (path.rttMs - proxyRttMs) / 2),
    jitterMs: path.jitterMs / 2,
    bytesPerMs: bytesPerMs(mbps),
    congestionWindow: path.congestionWindow,
  };
}
