import { ServiceError } from '../../servers/core/service-error.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** A call's result or its error code, so that two protocols' answers compare with one `toEqual`. */
export async function outcomeOf<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (error instanceof ServiceError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

/** Both protocols' error codes must agree; their messages may differ in how the transport words them. */
export function comparable<T>(outcome: Outcome<T>): Outcome<T> | { ok: false; code: string } {
  return outcome.ok ? outcome : { ok: false, code: outcome.code };
}
