/**
 * The faults the proxy can apply, after Toxiproxy's toxics (names and meanings kept), plus
 * `down` (the proxy refuses connections). Times are milliseconds here; the suite file
 * spells them as durations (parse-faults.ts).
 */

/** Upstream: driver → server bytes; downstream: server → driver bytes. */
export type Direction = 'upstream' | 'downstream';
export const directions: readonly Direction[] = ['upstream', 'downstream'];

export type FaultSpec =
  /** Every chunk waits `latencyMs ± jitterMs` (uniform), in order. */
  | { readonly type: 'latency'; readonly latencyMs: number; readonly jitterMs: number }
  /** At most `rateKBps` kilobytes (1000 bytes) a second. */
  | { readonly type: 'bandwidth'; readonly rateKBps: number }
  /** Writes split into pieces of `averageSize ± sizeVariation` bytes, `delayMs` apart. */
  | {
      readonly type: 'slicer';
      readonly averageSize: number;
      readonly sizeVariation: number;
      readonly delayMs: number;
    }
  /** The connection is closed once `bytes` have passed in this direction. */
  | { readonly type: 'limit_data'; readonly bytes: number }
  /** Nothing gets through; the connection is closed after `timeoutMs` (0: kept open, silent). */
  | { readonly type: 'timeout'; readonly timeoutMs: number }
  /** The connection is reset (TCP RST) after `timeoutMs` (0: at once). */
  | { readonly type: 'reset_peer'; readonly timeoutMs: number }
  /** The end of the stream (FIN) is passed on `delayMs` late. */
  | { readonly type: 'slow_close'; readonly delayMs: number }
  /** The proxy closes its connections and refuses new ones. */
  | { readonly type: 'down' };

export type FaultType = FaultSpec['type'];
export const faultTypes: readonly FaultType[] = [
  'latency',
  'bandwidth',
  'slicer',
  'limit_data',
  'timeout',
  'reset_peer',
  'slow_close',
  'down',
];

/** A fault in a run's schedule: on from `atMs` until `untilMs` (or the end of the run). */
export interface ScheduledFault {
  readonly atMs: number;
  readonly untilMs?: number;
  readonly direction: Direction;
  readonly fault: FaultSpec;
}

/** When a fault was actually on, in milliseconds from the start of the run (results.json). */
export interface FaultWindow {
  readonly type: FaultType;
  readonly direction: Direction;
  readonly startMs: number;
  /** Absent when the fault was still on when the run ended. */
  readonly endMs?: number;
  /** The fault's settings, as given (times in milliseconds). */
  readonly params: Readonly<Record<string, number>>;
}

export function faultParams(fault: FaultSpec): Record<string, number> {
  const { type: _type, ...params } = fault;
  return params;
}
