import { PushbackError } from './pushback.js';
import { TokenBucket } from './token-bucket.js';

export interface RateLimitOptions {
  /** Requests per second per key, refilled continuously; absent = no request limit. */
  readonly requestsPerSecond?: number;
  /** Requests a key may send at once above the rate (default: one second's worth, at least 1). */
  readonly burst?: number;
  /** Seconds of audio per key per minute; absent = no quota. */
  readonly audioSecondsPerMinute?: number;
}

interface KeyBuckets {
  readonly requests: TokenBucket | undefined;
  readonly audio: TokenBucket | undefined;
}

/**
 * Per key: a token bucket on requests, and one on seconds of audio (capacity the
 * quota per minute, refilled at a sixtieth of it per second). A request's audio is
 * known only once decoded, so a key is admitted while its audio balance is positive
 * and charged afterwards; the debt then delays its next request.
 */
export class RateLimits {
  private readonly byKey = new Map<string, KeyBuckets>();

  constructor(
    readonly options: RateLimitOptions,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get enabled(): boolean {
    return this.options.requestsPerSecond !== undefined || this.options.audioSecondsPerMinute !== undefined;
  }

  get burst(): number {
    return this.options.burst ?? Math.max(1, Math.ceil(this.options.requestsPerSecond ?? 1));
  }

  private bucketsOf(keyId: string, nowMs: number): KeyBuckets {
    let buckets = this.byKey.get(keyId);
    if (!buckets) {
      const { requestsPerSecond, audioSecondsPerMinute } = this.options;
      buckets = {
        requests:
          requestsPerSecond === undefined ? undefined : new TokenBucket(requestsPerSecond, this.burst, nowMs),
        audio:
          audioSecondsPerMinute === undefined
            ? undefined
            : new TokenBucket(audioSecondsPerMinute / 60, audioSecondsPerMinute, nowMs),
      };
      this.byKey.set(keyId, buckets);
    }
    return buckets;
  }

  /** Takes one request token, or throws RESOURCE_EXHAUSTED with the delay after which one is there. */
  admit(keyId: string): void {
    if (!this.enabled) return;
    const nowMs = this.now();
    const buckets = this.bucketsOf(keyId, nowMs);
    // The quota first: a request refused for it must not spend a request token.
    const audioWait = buckets.audio?.waitUntilPositive(nowMs) ?? 0;
    if (audioWait > 0) {
      throw new PushbackError(
        'RESOURCE_EXHAUSTED',
        `audio quota exceeded: ${this.options.audioSecondsPerMinute} s of audio per minute for this key`,
        audioWait,
      );
    }
    const requestWait = buckets.requests?.take(nowMs) ?? 0;
    if (requestWait > 0) {
      throw new PushbackError(
        'RESOURCE_EXHAUSTED',
        `rate limit exceeded: ${this.options.requestsPerSecond} requests per second (burst ${this.burst}) for this key`,
        requestWait,
      );
    }
  }

  /** Charges the audio a request turned out to carry. */
  chargeAudio(keyId: string, seconds: number): void {
    if (seconds <= 0 || this.options.audioSecondsPerMinute === undefined) return;
    const nowMs = this.now();
    this.bucketsOf(keyId, nowMs).audio?.debit(nowMs, seconds);
  }
}
