import type { StatusCodeName } from './status-codes.js';

/** What one key has used since the server started. */
export interface KeyUsage {
  readonly keyId: string;
  /** Requests admitted (past auth, load shedding and rate limits). */
  requests: number;
  /** Admitted requests answered OK; the others failed in the service (bad input, engine errors). */
  ok: number;
  failed: number;
  /** Requests refused before the service saw them, by code (RESOURCE_EXHAUSTED, UNAVAILABLE...). */
  readonly rejectedByCode: Record<string, number>;
  /** Seconds of audio in requests answered OK. */
  audioSeconds: number;
  /** Message bytes: the request and answer bodies (gRPC: the protobuf messages, without framing). */
  bytesIn: number;
  bytesOut: number;
}

export interface UsageReport {
  readonly keys: readonly (KeyUsage & { readonly cost: number; readonly costPer1000Requests: number })[];
  /** Configured price per minute of audio, in the operator's currency. */
  readonly pricePerAudioMinute: number;
  readonly since: string;
}

/** One admitted request's figures, given when it ends. */
export interface RequestUsage {
  readonly ok: boolean;
  readonly audioSeconds: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
}

/** The id requests that presented no valid key are recorded under. */
export const unauthenticatedId = '(unauthenticated)';

/**
 * Requests, audio and bytes per key, kept in memory for the server's lifetime. Cost is
 * audio minutes × the configured price, and per 1,000 requests the same over `requests`.
 */
export class UsageLedger {
  private readonly byKey = new Map<string, KeyUsage>();
  private readonly since = new Date().toISOString();

  constructor(readonly pricePerAudioMinute = 0) {}

  private usageOf(keyId: string): KeyUsage {
    let usage = this.byKey.get(keyId);
    if (!usage) {
      usage = {
        keyId,
        requests: 0,
        ok: 0,
        failed: 0,
        rejectedByCode: {},
        audioSeconds: 0,
        bytesIn: 0,
        bytesOut: 0,
      };
      this.byKey.set(keyId, usage);
    }
    return usage;
  }

  recordRejected(keyId: string, code: StatusCodeName): void {
    const { rejectedByCode } = this.usageOf(keyId);
    rejectedByCode[code] = (rejectedByCode[code] ?? 0) + 1;
  }

  recordAdmitted(keyId: string, usage: RequestUsage): void {
    const entry = this.usageOf(keyId);
    entry.requests += 1;
    if (usage.ok) {
      entry.ok += 1;
      entry.audioSeconds += usage.audioSeconds;
    } else entry.failed += 1;
    entry.bytesIn += usage.bytesIn;
    entry.bytesOut += usage.bytesOut;
  }

  report(): UsageReport {
    const price = this.pricePerAudioMinute;
    const keys = [...this.byKey.values()].map((usage) => {
      const cost = (usage.audioSeconds / 60) * price;
      return {
        ...usage,
        rejectedByCode: { ...usage.rejectedByCode },
        cost,
        costPer1000Requests: usage.requests === 0 ? 0 : (cost / usage.requests) * 1000,
      };
    });
    return { keys, pricePerAudioMinute: price, since: this.since };
  }
}

/** Seconds of audio in an answer of the service, whichever RPC it answers (0 for classify). */
export function audioSecondsOf(response: unknown): number {
  if (typeof response !== 'object' || response === null) return 0;
  if ('audioDuration' in response && typeof response.audioDuration === 'number')
    return response.audioDuration;
  if ('transcription' in response) return audioSecondsOf(response.transcription);
  return 0;
}
