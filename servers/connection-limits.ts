/**
 * How long a connection or a request may hold the server's resources, whatever the
 * client sends (or does not send). These guard against slow and idle clients
 * (slowloris, idle streams); message sizes are bound by core/limits.ts.
 *
 * The defaults are generous on purpose: a benchmark run keeps its connections busy for
 * minutes, and a real-time stream may upload 60 s of audio, so no legitimate client of
 * this harness ever meets them. Tests set them short with `serve --…-ms`.
 */
export interface ConnectionLimits {
  /**
   * REST over HTTP/1.1: the whole request (headers and body) must arrive within this,
   * or the server answers 408 and closes the connection (node's `requestTimeout`).
   * Over HTTP/2 (rest-h2) it bounds each request stream the same way.
   * It must exceed the longest real-time stream upload (--max-audio-seconds).
   */
  readonly requestTimeoutMs: number;
  /** REST over HTTP/1.1: the request headers must arrive within this (node's `headersTimeout`). */
  readonly headersTimeoutMs: number;
  /**
   * A connection with no call in flight is closed after this: REST keep-alive and HTTP/2
   * sessions, grpc-js `grpc.max_connection_idle_ms`, the connect server likewise.
   */
  readonly idleTimeoutMs: number;
  /**
   * HTTP/2 (gRPC) connections are told to go away (GOAWAY) once this old, whatever they
   * do: grpc-js `grpc.max_connection_age_ms`, the connect server likewise. Calls without
   * a deadline that never end (an idle stream) are bounded by this plus the grace.
   */
  readonly maxConnectionAgeMs: number;
  /** After that GOAWAY, calls in flight have this long to finish before the connection is dropped. */
  readonly connectionAgeGraceMs: number;
}

export const defaultConnectionLimits: ConnectionLimits = {
  requestTimeoutMs: 120_000,
  headersTimeoutMs: 10_000,
  idleTimeoutMs: 300_000,
  maxConnectionAgeMs: 3_600_000,
  connectionAgeGraceMs: 120_000,
};

/**
 * How often node's HTTP/1.1 server looks for requests past requestTimeout or
 * headersTimeout: the timeouts fire up to this much late. Node's default (30 s) would
 * make a 10 s headers timeout fire after 40 s.
 */
export function connectionsCheckingIntervalMs(limits: ConnectionLimits): number {
  return Math.max(
    100,
    Math.min(1_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)),
  );
}

/** The problems with a set of limits (node rejects headersTimeout > requestTimeout), all at once. */
export function connectionLimitProblems(limits: ConnectionLimits): string[] {
  const problems: string[] = [];
  if (limits.headersTimeoutMs > limits.requestTimeoutMs)
    problems.push(
      `--headers-timeout-ms (${limits.headersTimeoutMs}) must not exceed --request-timeout-ms (${limits.requestTimeoutMs})`,
    );
  return problems;
}
