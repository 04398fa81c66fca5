import type { StatusCodeName } from '../../servers/core/status-codes.js';
import { emptyCounts, type RequestCounts } from '../accounting/request-counts.js';
import type { ByteCounts } from './counting-relay.js';

/** Where one stream ended up; the stream-level counts tally these. */
export type StreamOutcome = 'ok' | 'failed' | 'timedOut' | 'cancelled' | 'notSent';

export interface ResponseCounts {
  /** Every result message received: `received = partials + finals`. */
  readonly received: number;
  readonly partials: number;
  /** At most one per stream; exactly one when the stream is ok. */
  readonly finals: number;
}

/** What one stream did, as the result reports it. */
export interface StreamRecord {
  readonly index: number;
  readonly outcome: StreamOutcome;
  readonly error: { readonly code: StatusCodeName; readonly message: string } | null;
  /** Per audio chunk message: see chunkCounts. */
  readonly chunks: RequestCounts;
  readonly responses: ResponseCounts;
  /** From handing the first chunk to the transport to receiving the first partial. */
  readonly timeToFirstPartialMs: number | null;
  /** From handing the first chunk to the transport to the end of the call. */
  readonly totalMs: number;
  /** Chunk messages handed over, and result messages received, per second of totalMs. */
  readonly messagesPerSecond: { readonly sent: number; readonly received: number };
  /** Socket bytes of the stream, after the warm-up call. */
  readonly bytes: ByteCounts;
  /** Audio seconds the final result reports covering. */
  readonly finalAudioSeconds: number | null;
  readonly finalTranscript: string | null;
}

/**
 * Every chunk message the stream meant to send, accounted once: `notSent` if the
 * stream ended before it was handed over; `ok` if the final result's audio covers
 * it; otherwise as the stream ended (`failed` with its code, `timedOut`, `cancelled`).
 */
export function chunkCounts(args: {
  readonly planned: number;
  readonly handedOver: number;
  readonly covered: number;
  readonly outcome: StreamOutcome;
  readonly code: StatusCodeName | undefined;
}): RequestCounts {
  const counts = emptyCounts();
  counts.sent = args.planned;
  counts.notSent = args.planned - args.handedOver;
  counts.ok = Math.min(args.covered, args.handedOver);
  const rest = args.handedOver - counts.ok;
  if (args.outcome === 'timedOut') counts.timedOut = rest;
  else if (args.outcome === 'cancelled') counts.cancelled = rest;
  else if (rest > 0) {
    // An ok stream covers every chunk by definition; anything left failed with the stream's code.
    counts.failed = rest;
    counts.failedByCode[args.code ?? 'UNKNOWN'] = rest;
  }
  return counts;
}
