/**
 * How a client rides out a flaky server, the same on both protocols: retries (gRPC's
 * retryPolicy semantics: attempts, exponential backoff with full jitter, retryable
 * codes; the deadline covers every attempt), keepalive, and reconnect backoff.
 */
import { isStatusCodeName, type StatusCodeName } from '../servers/core/status-codes.js';

export interface RetryPolicy {
  /** Attempts in all, the first included: 2 to 5 (grpc-js allows no more). */
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly backoffMultiplier: number;
  /** Codes worth another attempt, e.g. UNAVAILABLE (REST maps its statuses to these codes). */
  readonly retryableCodes: readonly StatusCodeName[];
}

export interface KeepalivePolicy {
  /** gRPC: an HTTP/2 PING after this long without one; REST: TCP keep-alive probes after this idle time. */
  readonly intervalMs: number;
  /** gRPC only: a PING unanswered this long closes the connection. */
  readonly timeoutMs: number;
}

export interface ReconnectPolicy {
  /** gRPC: grpc-js's reconnect backoff; REST reconnects on the next attempt, so retries' backoff is its backoff. */
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export interface ResilienceOptions {
  readonly retry?: RetryPolicy;
  readonly keepalive?: KeepalivePolicy;
  readonly reconnect?: ReconnectPolicy;
}

/** Every problem with the options at once (empty when they are fine). */
export function resilienceProblems(options: ResilienceOptions): string[] {
  const problems: string[] = [];
  const positive = (name: string, value: number) => {
    if (!Number.isFinite(value) || value <= 0)
      problems.push(`${name} must be a positive number, not ${value}`);
  };
  const { retry, keepalive, reconnect } = options;
  if (retry) {
    if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 2 || retry.maxAttempts > 5)
      problems.push(`retry.maxAttempts must be an integer from 2 to 5, not ${retry.maxAttempts}`);
    positive('retry.initialBackoffMs', retry.initialBackoffMs);
    positive('retry.maxBackoffMs', retry.maxBackoffMs);
    if (!(retry.backoffMultiplier > 0)) problems.push('retry.backoffMultiplier must be above 0');
    if (retry.maxBackoffMs < retry.initialBackoffMs)
      problems.push('retry.maxBackoffMs must not be below retry.initialBackoffMs');
    if (retry.retryableCodes.length === 0) problems.push('retry.retryableCodes must name at least one code');
    for (const code of retry.retryableCodes)
      if (!isStatusCodeName(code) || code === 'OK')
        problems.push(`retry.retryableCodes: ${code} is not an error code`);
  }
  if (keepalive) {
    positive('keepalive.intervalMs', keepalive.intervalMs);
    positive('keepalive.timeoutMs', keepalive.timeoutMs);
  }
  if (reconnect) {
    positive('reconnect.initialBackoffMs', reconnect.initialBackoffMs);
    positive('reconnect.maxBackoffMs', reconnect.maxBackoffMs);
  }
  return problems;
}

export function checkResilience(options: ResilienceOptions | undefined): void {
  const problems = options ? resilienceProblems(options) : [];
  if (problems.length > 0) throw new Error(`client resilience options: ${problems.join('; ')}`);
}

/** The wait before retry `n` (1 = the first retry): random up to min(initial × multiplier^(n−1), max), as gRPC does. */
export function retryBackoffMs(policy: RetryPolicy, retry: number, random = Math.random): number {
  const cap = Math.min(
    policy.initialBackoffMs * policy.backoffMultiplier ** (retry - 1),
    policy.maxBackoffMs,
  );
  return random() * cap;
}

/** grpc-js's service config for a retry policy on every method of `service`. */
export function grpcServiceConfig(service: string, retry: RetryPolicy): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(3)}s`;
  return JSON.stringify({
    methodConfig: [
      {
        name: [{ service }],
        retryPolicy: {
          maxAttempts: retry.maxAttempts,
          initialBackoff: seconds(retry.initialBackoffMs),
          maxBackoff: seconds(retry.maxBackoffMs),
          backoffMultiplier: retry.backoffMultiplier,
          retryableStatusCodes: retry.retryableCodes,
        },
      },
    ],
  });
}

/** Calls and the attempts they took, so that retries are reported apart from requests. */
export class AttemptCount {
  calls = 0;
  attempts = 0;

  record(attempts: number): void {
    this.calls += 1;
    this.attempts += attempts;
  }
}
