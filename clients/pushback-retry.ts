import { setTimeout as sleep } from 'node:timers/promises';
import { PushbackError } from '../servers/core/pushback.js';
import type { CallOptions } from './speech-client.js';

/** Attempts per call when the server pushes back (RESOURCE_EXHAUSTED / UNAVAILABLE with a delay). */
export const defaultPushbackAttempts = 3;

/** Why a retry was made: told to `CallOptions.onRetry`, so a caller can report attempts. */
export interface RetryNotice {
  /** The attempt about to start (2 for the first retry). */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly waitMs: number;
  readonly error: PushbackError;
}

/**
 * Runs a unary call, and again after the server's pushback delay while attempts remain
 * and the wait ends before the call's deadline; each attempt gets what is left of the
 * deadline. Only errors that carry a delay are retried: anything else is final.
 */
export async function withPushbackRetry<T>(
  maxAttempts: number,
  options: CallOptions | undefined,
  attempt: (options: CallOptions | undefined) => Promise<T>,
): Promise<T> {
  const deadline = options?.deadlineMs === undefined ? undefined : Date.now() + options.deadlineMs;
  const limit = options?.maxAttempts ?? maxAttempts;
  for (let number = 1; ; number += 1) {
    const remaining = deadline === undefined ? undefined : Math.max(1, deadline - Date.now());
    try {
      return await attempt(remaining === undefined ? options : { ...options, deadlineMs: remaining });
    } catch (error) {
      if (!(error instanceof PushbackError) || number >= limit) throw withAttempts(error, number);
      if (deadline !== undefined && Date.now() + error.retryAfterMs >= deadline)
        throw withAttempts(error, number);
      options?.onRetry?.({ attempt: number + 1, maxAttempts: limit, waitMs: error.retryAfterMs, error });
      await sleep(error.retryAfterMs);
    }
  }
}

function withAttempts(error: unknown, attempts: number): unknown {
  if (attempts > 1 && error instanceof Error) error.message += ` (after ${attempts} attempts)`;
  return error;
}

/** A delay in milliseconds from a header or trailer value, or undefined when there is none. */
export function delayFrom(value: string | undefined, unitMs: number): number | undefined {
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  return Number(value) * unitMs;
}
