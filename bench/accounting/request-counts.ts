/**
 * Where every request the driver meant to send ended up. The identity
 * `sent = ok + failed + timedOut + notSent + cancelled` holds by construction
 * and is checked after every run.
 */
export interface RequestCounts {
  /** Requests the load model scheduled (open loop) or started (closed loop). */
  sent: number;
  ok: number;
  failed: number;
  failedByCode: Record<string, number>;
  timedOut: number;
  /** Open loop: scheduled but never sent, because no connection was free in time. */
  notSent: number;
  /** In flight when the run stopped (duration over or interrupted). */
  cancelled: number;
}

export function emptyCounts(): RequestCounts {
  return { sent: 0, ok: 0, failed: 0, failedByCode: {}, timedOut: 0, notSent: 0, cancelled: 0 };
}

export function balanceProblems(counts: RequestCounts): string[] {
  const problems: string[] = [];
  const settled = counts.ok + counts.failed + counts.timedOut + counts.notSent + counts.cancelled;
  if (settled !== counts.sent) {
    problems.push(`sent ${counts.sent} ≠ ok + failed + timedOut + notSent + cancelled = ${settled}`);
  }
  const byCode = Object.values(counts.failedByCode).reduce((sum, n) => sum + n, 0);
  if (byCode !== counts.failed) problems.push(`failed ${counts.failed} ≠ sum of failedByCode ${byCode}`);
  return problems;
}

export function mergeCounts(parts: readonly RequestCounts[]): RequestCounts {
  const total = emptyCounts();
  for (const part of parts) {
    total.sent += part.sent;
    total.ok += part.ok;
    total.failed += part.failed;
    total.timedOut += part.timedOut;
    total.notSent += part.notSent;
    total.cancelled += part.cancelled;
    for (const [code, n] of Object.entries(part.failedByCode))
      total.failedByCode[code] = (total.failedByCode[code] ?? 0) + n;
  }
  return total;
}
