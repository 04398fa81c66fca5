/** What the transport drivers share: their options, answer sampling, timeouts and the outcomes they reuse. */
import type { ClientTls } from '../../clients/client-tls.js';
import type { FailureCause, Outcome } from './driver.js';
import type { RequestPayload } from './request-payloads.js';

export interface TransportDriverOptions {
  readonly host: string;
  readonly port: number;
  readonly payload: RequestPayload;
  /** A request unanswered after this long is `timedOut` (default 10 s). */
  readonly timeoutMs?: number;
  /** Check the body of every Nth answer (default 64); the first is always checked, 1 checks all. */
  readonly checkEvery?: number;
  /** Connect over TLS (HTTP/2: ALPN h2) trusting this CA, with this client certificate for mTLS. */
  readonly tls?: ClientTls;
  /** Sent as `authorization: Bearer KEY` on every request, for servers started with API keys. */
  readonly apiKey?: string;
}

export const defaultTimeoutMs = 10_000;
export const defaultCheckEvery = 64;

/** The code of an answer that arrived but is wrong: not a gRPC code, so it cannot be mistaken for one. */
export const WRONG_ANSWER = 'WRONG_ANSWER';

// Shared frozen outcomes: at tens of thousands of requests a second, allocations show.
export const ok: Outcome = Object.freeze({ kind: 'ok' });
export const timedOut: Outcome = Object.freeze({ kind: 'timedOut' });
const failedByCode = new Map<string, Outcome>();

export function failed(code: string, cause?: FailureCause): Outcome {
  const key = cause ? `${code}/${cause}` : code;
  let outcome = failedByCode.get(key);
  if (!outcome) {
    outcome = Object.freeze(cause ? { kind: 'failed', code, cause } : { kind: 'failed', code });
    failedByCode.set(key, outcome);
  }
  return outcome;
}

/** Decides which answers get their body checked, and keeps the first problems found for the report. */
export class AnswerChecks {
  private seen = 0;
  readonly problems: string[] = [];

  constructor(private readonly every: number = defaultCheckEvery) {
    if (!Number.isInteger(every) || every < 1)
      throw new Error(`checkEvery must be a positive integer, got ${every}`);
  }

  nextIsChecked(): boolean {
    return this.seen++ % this.every === 0;
  }

  /** The outcome of a checked answer. */
  verdict(problem: string | undefined): Outcome {
    if (problem === undefined) return ok;
    this.note(problem);
    return failed(WRONG_ANSWER);
  }

  note(problem: string): void {
    if (this.problems.length < 5) this.problems.push(problem);
  }
}

/**
 * Timeouts are swept rather than armed per request: requests of one connection share a
 * timeout, so the oldest expire first and a sweep stops at the first that has not.
 */
export function sweepEveryMs(timeoutMs: number): number {
  return Math.min(500, Math.max(5, Math.floor(timeoutMs / 10)));
}
