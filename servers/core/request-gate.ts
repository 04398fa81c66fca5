import type { ApiKeys, PresentedCredentials } from './api-keys.js';
import { LoadShedding, type LoadSheddingOptions } from './load-shedding.js';
import { type RateLimitOptions, RateLimits } from './rate-limits.js';
import { toServiceError } from './service-error.js';
import { audioSecondsOf, UsageLedger, unauthenticatedId } from './usage-ledger.js';

export interface RequestGateOptions {
  /** Absent: no auth, every request is the key `anonymous`. */
  readonly apiKeys?: ApiKeys;
  readonly rateLimits?: RateLimitOptions;
  readonly loadShedding?: LoadSheddingOptions;
  /** For the cost in the usage answer (default 0). */
  readonly pricePerAudioMinute?: number;
  /** Monotonic milliseconds, for tests (default performance.now). */
  readonly now?: () => number;
  /**
   * One JSON line per request (key id, outcome, audio seconds, bytes): never a
   * header or a key. `payloads` adds the answer's transcript and labels.
   */
  readonly log?: { readonly write: (line: string) => void; readonly payloads: boolean };
}

export const anonymousId = 'anonymous';

/** One admitted request: its figures gather here until it ends. */
export class Admission {
  bytesIn = 0;
  bytesOut = 0;
  private audioSeconds = 0;
  private finished = false;

  constructor(
    readonly keyId: string,
    private readonly end: (admission: Admission, ok: boolean, audioSeconds: number) => void,
  ) {}

  /** The last answer, kept only when payloads are logged. */
  lastAnswer: unknown;

  /** Notes an answer of the service (its seconds of audio) and, where known, its size. */
  noteResponse(response: unknown, bytes = 0): void {
    this.audioSeconds = Math.max(this.audioSeconds, audioSecondsOf(response));
    this.bytesOut += bytes;
    if (this.keepAnswer) this.lastAnswer = response;
  }

  /** Ends the request once, however often it is called. */
  finish(ok: boolean): void {
    if (this.finished) return;
    this.finished = true;
    this.end(this, ok, this.audioSeconds);
  }

  keepAnswer = false;
}

/**
 * Request-level policy for every protocol, in one place: who may call (API keys),
 * whether the server takes more work (load shedding), how much each key may send
 * (rate limits and audio quota), and what each key used (the ledger). Adapters
 * read the credentials, call `admit`, and `finish` what it returns.
 */
export class RequestGate {
  readonly ledger: UsageLedger;
  private readonly rateLimits: RateLimits;
  private readonly shedding: LoadShedding;

  constructor(readonly options: RequestGateOptions = {}) {
    this.ledger = new UsageLedger(options.pricePerAudioMinute ?? 0);
    this.rateLimits = new RateLimits(options.rateLimits ?? {}, options.now);
    this.shedding = new LoadShedding(options.loadShedding ?? {});
  }

  get authRequired(): boolean {
    return this.options.apiKeys !== undefined;
  }

  /** The caller's key id, or UNAUTHENTICATED (recorded in the ledger). */
  authenticate(credentials: PresentedCredentials): string {
    if (!this.options.apiKeys) return anonymousId;
    try {
      return this.options.apiKeys.authenticate(credentials);
    } catch (error) {
      this.refused(unauthenticatedId, error);
      throw error;
    }
  }

  /** Lets a request in, or throws the ServiceError to answer it with (recorded in the ledger). */
  admit(credentials: PresentedCredentials): Admission {
    const keyId = this.authenticate(credentials);
    try {
      this.shedding.enter();
    } catch (error) {
      this.refused(keyId, error);
      throw error;
    }
    try {
      this.rateLimits.admit(keyId);
    } catch (error) {
      this.shedding.leave();
      this.refused(keyId, error);
      throw error;
    }
    const admission = new Admission(keyId, (admission, ok, audioSeconds) => {
      this.shedding.leave();
      if (ok) this.rateLimits.chargeAudio(keyId, audioSeconds);
      this.ledger.recordAdmitted(keyId, {
        ok,
        audioSeconds: ok ? audioSeconds : 0,
        bytesIn: admission.bytesIn,
        bytesOut: admission.bytesOut,
      });
      this.logLine({
        event: 'request',
        key: keyId,
        ok,
        audioSeconds,
        bytesIn: admission.bytesIn,
        bytesOut: admission.bytesOut,
        ...(this.options.log?.payloads ? { answer: answerSummary(admission.lastAnswer) } : {}),
      });
    });
    admission.keepAnswer = this.options.log?.payloads === true;
    return admission;
  }

  private refused(keyId: string, error: unknown): void {
    const { code } = toServiceError(error);
    this.ledger.recordRejected(keyId, code);
    this.logLine({ event: 'refused', key: keyId, code });
  }

  private logLine(fields: Record<string, unknown>): void {
    this.options.log?.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);
  }

  get inFlight(): number {
    return this.shedding.current;
  }

  close(): void {
    this.shedding.close();
  }
}

/** What `--log-payloads` shows of an answer: its transcript and best label, never the audio. */
function answerSummary(answer: unknown): { transcript?: string; label?: string } | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const record = answer as {
    transcript?: unknown;
    labels?: unknown;
    transcription?: { transcript?: unknown };
    classification?: { labels?: unknown };
  };
  const transcript = record.transcript ?? record.transcription?.transcript;
  const labels = record.labels ?? record.classification?.labels;
  return {
    ...(typeof transcript === 'string' ? { transcript } : {}),
    ...(Array.isArray(labels) && typeof labels[0] === 'string' ? { label: labels[0] } : {}),
  };
}
