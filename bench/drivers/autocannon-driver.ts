/**
 * autocannon as the closed-loop engine for REST over HTTP/1.1: a second, independent
 * implementation to hold rest-h1 against. autocannon owns the loop, so this is a whole
 * run producing a LoadResult rather than a Driver. Its own histogram keeps whole
 * milliseconds; we time each request ourselves, in microseconds, from its client events.
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { errorFromHttpBody } from '../../clients/http-errors.js';
import { formatHostPort } from '../../servers/host-port.js';
import { ClosedLoopWindow } from '../load/closed-loop-window.js';
import type { LoadResult } from '../load/load-result.js';
import type { Outcome } from './driver.js';
import type { RestH1DriverOptions } from './rest-h1-driver.js';
import { AnswerChecks, defaultTimeoutMs, failed, ok, timedOut } from './transport-options.js';

export interface AutocannonRunOptions extends RestH1DriverOptions {
  readonly connections: number;
  /** Requests in flight per connection (HTTP/1.1 pipelining). */
  readonly pipelining: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** How long requests sent in the window may take to be answered after it (default 1 s); the rest are `cancelled`. */
  readonly graceMs?: number;
  readonly signal?: AbortSignal;
}

export interface AutocannonRunResult extends LoadResult {
  /** The first problems found in checked answers. */
  readonly problems: readonly string[];
}

/** What autocannon's client has and its type declarations leave out. */
interface ClientInternals {
  readonly conn?: object;
  getRequestBuffer?(): Buffer;
}

interface Sent {
  readonly sentAt: number;
  readonly counted: boolean;
  readonly checked: boolean;
  readonly conn: object | undefined;
}

const unavailable = failed('UNAVAILABLE');

export async function runAutocannon(options: AutocannonRunOptions): Promise<AutocannonRunResult> {
  const { payload } = options;
  const raw = options.bodyForm === 'raw-wav';
  if (raw && !payload.rawWav) throw new Error(`${payload.rpc} has no raw-audio form; use the JSON body`);
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const graceMs = options.graceMs ?? 1_000;
  const checks = new AnswerChecks(options.checkEvery);
  const window = new ClosedLoopWindow(performance.now() + options.warmupMs);
  let windowEnd = window.startMs + options.durationMs;
  let bytesWritten = 0;
  let bytesRead = 0;
  // autocannon calls verifyBody right after a client's response event: the two halves of one answer.
  let answered: { sent: Sent; status: number; at: number; bytes: number } | undefined;

  const settle = (sent: Sent, outcome: Outcome, at: number) => {
    if (sent.counted) window.settled(outcome, sent.sentAt, at);
  };

  const setupClient = (client: autocannon.Client) => {
    const internals = client as unknown as ClientInternals;
    // The declarations list only some of the client's events.
    const events: NodeJS.EventEmitter = client;
    const pending: Sent[] = [];
    // Requests on a connection autocannon has replaced will never be answered.
    const dropLost = (outcome: Outcome) => {
      while (pending.length > 0 && pending[0]!.conn !== internals.conn)
        settle(pending.shift()!, outcome, performance.now());
    };
    events.on('request', () => {
      const now = performance.now();
      const counted = now >= window.startMs && now < windowEnd;
      if (counted) {
        window.sent();
        bytesWritten += internals.getRequestBuffer?.().length ?? 0;
      }
      pending.push({ sentAt: now, counted, checked: checks.nextIsChecked(), conn: internals.conn });
    });
    events.on('response', (status: number, resBytes: number) => {
      const at = performance.now();
      dropLost(unavailable);
      const sent = pending.shift();
      if (sent) answered = { sent, status, at, bytes: resBytes };
    });
    events.on('timeout', () => dropLost(timedOut));
    events.on('connError', () => {
      const now = performance.now();
      for (const sent of pending.splice(0)) settle(sent, unavailable, now);
    });
  };

  const verifyBody = (body: string | Buffer | undefined): boolean => {
    const answer = answered;
    answered = undefined;
    if (!answer?.sent.counted) return true;
    const text = typeof body === 'string' ? body : (body?.toString('utf8') ?? '');
    bytesRead += answer.bytes;
    let outcome: Outcome;
    if (answer.status !== 200) outcome = failed(errorFromHttpBody(answer.status, text).code);
    else outcome = answer.sent.checked ? checks.verdict(payload.checkJson(text)) : ok;
    settle(answer.sent, outcome, answer.at);
    return true;
  };

  let instance: autocannon.Instance | undefined;
  const done = new Promise<void>((resolve, reject) => {
    instance = autocannon(
      {
        url: `http://${formatHostPort(options.host, options.port)}${raw ? payload.rawWav!.path : payload.restPath}`,
        method: 'POST',
        headers: { 'content-type': raw ? payload.rawWav!.contentType : 'application/json' },
        body: raw ? payload.rawWav!.body : payload.jsonBody,
        connections: options.connections,
        pipelining: options.pipelining,
        // Long enough for the window and the grace; stopped as soon as the window's requests are answered.
        duration: (options.warmupMs + options.durationMs + graceMs) / 1000,
        timeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
        // autocannon only notices stop() when it takes a sample: sample often, so a run ends promptly.
        sampleInt: 50,
        setupClient,
        verifyBody,
      },
      (error: unknown) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
    );
  });
  const endWindow = () => {
    windowEnd = Math.max(window.startMs, Math.min(windowEnd, performance.now()));
  };
  options.signal?.addEventListener('abort', endWindow, { once: true });
  const watcher = setInterval(() => {
    if (performance.now() >= windowEnd && window.requestsInFlight === 0) instance?.stop();
  }, 10);
  try {
    await done;
  } finally {
    clearInterval(watcher);
    options.signal?.removeEventListener('abort', endWindow);
  }
  const result = window.close(windowEnd - window.startMs, { written: bytesWritten, read: bytesRead });
  return { ...result, problems: checks.problems };
}
