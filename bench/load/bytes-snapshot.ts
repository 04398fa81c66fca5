/** The connections' socket bytes at one moment, by part where the driver counts them: windows are differences of two. */
import {
  type ByteBreakdown,
  breakdownData,
  breakdownMinus,
  sumBreakdowns,
} from '../drivers/byte-breakdown.js';
import type { DriverConnection } from '../drivers/driver.js';

export interface BytesSnapshot {
  readonly written: number;
  readonly read: number;
  readonly breakdown?: ByteBreakdown;
}

export const noBytes: BytesSnapshot = { written: 0, read: 0 };

export function snapshotBytes(connections: readonly DriverConnection[]): BytesSnapshot {
  let written = 0;
  let read = 0;
  for (const connection of connections) {
    written += connection.bytesWritten;
    read += connection.bytesRead;
  }
  // A copy: the drivers' counters keep moving.
  const breakdown = sumBreakdowns(connections);
  return breakdown ? { written, read, breakdown: breakdownData(breakdown) } : { written, read };
}

/** What was carried from `start` to `end`; the breakdown only when both have one. */
export function bytesBetween(end: BytesSnapshot, start: BytesSnapshot): BytesSnapshot {
  const written = end.written - start.written;
  const read = end.read - start.read;
  return end.breakdown && start.breakdown
    ? { written, read, breakdown: breakdownMinus(end.breakdown, start.breakdown) }
    : { written, read };
}
