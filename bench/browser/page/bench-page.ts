/**
 * The benchmark page's script (bundled by esbuild, runs in Chromium): calls the service
 * as a web app would, through fetch (REST) or connect-web (Connect, gRPC-Web), in a
 * closed loop timed with performance.now() into the harness's histogram format.
 */
import { type DescMessage, fromBinary, type MessageShape, toJsonString } from '@bufbuild/protobuf';
import { ConnectError, createClient, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-web';
import * as es from '../../../proto/gen-es/speech/v1/speech_pb.js';
import { codeNameOf, isStatusCodeName } from '../../../servers/core/status-codes.js';
import { emptyCounts } from '../../accounting/request-counts.js';
import type { TimelineBucket } from '../../load/load-result.js';
import { LatencyHistogram } from '../../stats/latency-histogram.js';
import type {
  PageCall,
  PageOutcome,
  PageResult,
  PageRun,
  PageStream,
  PageStreamResult,
} from '../page-protocol.js';

const deadline = 'DEADLINE_EXCEEDED';

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** REST's error body carries the code name; without one the status decides, as our REST client does. */
const codeByStatus: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  413: 'RESOURCE_EXHAUSTED',
  429: 'RESOURCE_EXHAUSTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

async function restCodeOf(response: Response): Promise<string> {
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object' && 'code' in body && isStatusCodeName(body.code)) return body.code;
  } catch {
    // not JSON
  }
  return codeByStatus[response.status] ?? 'UNKNOWN';
}

type Caller = (signal: AbortSignal) => Promise<PageOutcome>;

function restCaller(call: PageCall): Caller {
  const rest = call.rest!;
  const url = `${call.baseUrl}${rest.path}`;
  const body = bytesOf(rest.bodyBase64);
  const headers: Record<string, string> = { 'content-type': rest.contentType };
  if (call.apiKey !== undefined) headers.authorization = `Bearer ${call.apiKey}`;
  return async (signal) => {
    const response = await fetch(url, { method: 'POST', headers, body, signal });
    if (response.status !== 200) return { code: await restCodeOf(response) };
    return { code: 'OK', answerJson: await response.text() };
  };
}

function transportOf(call: PageCall): Transport {
  if (call.protocol === 'grpc-web') return createGrpcWebTransport({ baseUrl: call.baseUrl });
  return createConnectTransport({
    baseUrl: call.baseUrl,
    useBinaryFormat: call.protocol === 'connect-proto',
  });
}

function connectCaller(call: PageCall): Caller {
  const client = createClient(es.SpeechService, transportOf(call));
  const headers: Record<string, string> =
    call.apiKey === undefined ? {} : { authorization: `Bearer ${call.apiKey}` };
  const bytes = bytesOf(call.messageBase64);
  const unary = <I extends DescMessage, O extends DescMessage>(
    input: I,
    output: O,
    method: (
      request: MessageShape<I>,
      options: { headers: Record<string, string>; signal: AbortSignal },
    ) => Promise<MessageShape<O>>,
  ): Caller => {
    const request = fromBinary(input, bytes);
    return async (signal) => {
      const answer = await method(request, { headers, signal });
      return { code: 'OK', answerJson: toJsonString(output, answer) };
    };
  };
  switch (call.rpc) {
    case 'classify':
      return unary(es.ClassifyRequestSchema, es.ClassifyResponseSchema, client.classify);
    case 'transcribe':
      return unary(es.TranscribeRequestSchema, es.TranscribeResponseSchema, client.transcribe);
    case 'transcribe-and-classify':
      return unary(
        es.TranscribeAndClassifyRequestSchema,
        es.TranscribeAndClassifyResponseSchema,
        client.transcribeAndClassify,
      );
  }
}

function callerOf(call: PageCall): Caller {
  return call.protocol === 'rest-json' || call.protocol === 'rest-raw'
    ? restCaller(call)
    : connectCaller(call);
}

/** One call to its end, never throwing: an answer, a code, or DEADLINE_EXCEEDED past the timeout. */
async function settle(caller: Caller, timeoutMs: number): Promise<PageOutcome> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    return await caller(signal);
  } catch (error) {
    if (signal.aborted) return { code: deadline };
    if (error instanceof ConnectError) return { code: codeNameOf(error.code) };
    // fetch rejects only when the request could not be made or answered at all.
    return { code: 'UNAVAILABLE' };
  }
}

/** The smallest step of performance.now() seen in a few thousand readings. */
function timerResolutionUs(): number {
  let smallest = Number.POSITIVE_INFINITY;
  let last = performance.now();
  for (let i = 0; i < 20_000 && smallest > 0.001; i++) {
    const now = performance.now();
    if (now > last) {
      smallest = Math.min(smallest, now - last);
      last = now;
    }
  }
  return Math.round(smallest * 1000 * 100) / 100;
}

function p99Of(latencies: number[]): number {
  if (latencies.length === 0) return 0;
  latencies.sort((a, b) => a - b);
  return Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)]!);
}

/** The closed loop: `concurrency` callers, each sending again as soon as its answer is in. */
async function run(config: PageRun): Promise<PageResult> {
  const caller = callerOf(config);
  const counts = emptyCounts();
  const histogram = LatencyHistogram.create();
  const seconds: { completed: number; failed: number; latencies: number[] }[] = [];
  const start = performance.now();
  const windowStart = start + config.warmupMs;
  const windowEnd = windowStart + config.durationMs;
  let sample: string | undefined;
  const loop = async () => {
    while (performance.now() < windowEnd) {
      const sentAt = performance.now();
      const counted = sentAt >= windowStart;
      if (counted) counts.sent++;
      const outcome = await settle(caller, config.timeoutMs);
      const doneAt = performance.now();
      if (!counted) continue;
      // Answered after the window: cancelled, as the harness's closed loop counts it (no grace).
      if (doneAt > windowEnd) {
        counts.cancelled++;
        continue;
      }
      const second = Math.floor((doneAt - windowStart) / 1000);
      seconds[second] ??= { completed: 0, failed: 0, latencies: [] };
      const bucket = seconds[second]!;
      bucket.completed++;
      const latencyUs = (doneAt - sentAt) * 1000;
      if (outcome.code === 'OK') {
        counts.ok++;
        sample ??= outcome.answerJson;
        histogram.recordUs(latencyUs);
        bucket.latencies.push(latencyUs);
      } else if (outcome.code === deadline) {
        counts.timedOut++;
      } else {
        counts.failed++;
        counts.failedByCode[outcome.code] = (counts.failedByCode[outcome.code] ?? 0) + 1;
        bucket.failed++;
      }
    }
  };
  // Calls still out at the window's end are waited for (each within its timeout), then cancelled.
  await Promise.all(Array.from({ length: config.concurrency }, loop));
  const timeline: TimelineBucket[] = [];
  for (let second = 0; second < Math.ceil(config.durationMs / 1000); second++) {
    const bucket = seconds[second] ?? { completed: 0, failed: 0, latencies: [] };
    timeline.push({
      second,
      completed: bucket.completed,
      failed: bucket.failed,
      p99Us: p99Of(bucket.latencies),
    });
  }
  return {
    counts,
    histogram: histogram.encode(),
    durationMs: config.durationMs,
    timeline,
    timerResolutionUs: timerResolutionUs(),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    ...(sample === undefined ? {} : { sampleAnswerJson: sample }),
    userAgent: navigator.userAgent,
  };
}

async function callOnce(call: PageCall): Promise<PageOutcome> {
  return settle(callerOf(call), call.timeoutMs);
}

/**
 * The bidirectional StreamingTranscribe through connect-web: refused before anything is
 * sent, since fetch cannot stream a request body over HTTP/1.1 (connect-web supports
 * unary and server-streaming calls only).
 */
async function bidiThroughConnectWeb(call: PageCall): Promise<PageOutcome> {
  const client = createClient(es.SpeechService, transportOf(call));
  async function* requests() {
    yield fromBinary(es.StreamingTranscribeRequestSchema, bytesOf(call.messageBase64));
  }
  try {
    for await (const _ of client.streamingTranscribe(requests())) {
      // an answer would mean the browser streamed: it cannot
    }
    return { code: 'OK' };
  } catch (error) {
    const connectError = ConnectError.from(error);
    return { code: codeNameOf(connectError.code), message: connectError.rawMessage };
  }
}

function envelope(flags: number, data: Uint8Array): Uint8Array {
  const framed = new Uint8Array(5 + data.length);
  framed[0] = flags;
  new DataView(framed.buffer).setUint32(1, data.length);
  framed.set(data, 5);
  return framed;
}

/**
 * What a page can do with the streaming RPC instead: send every message in one request
 * body (the Connect streaming or gRPC-Web framing, by hand over fetch) and read the
 * answers as they stream back.
 */
async function streamHalfDuplex(stream: PageStream): Promise<PageStreamResult> {
  const parts = stream.messagesBase64.map((message) => envelope(0, bytesOf(message)));
  const body = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    body.set(part, at);
    at += part.length;
  }
  const headers: Record<string, string> =
    stream.protocol === 'grpc-web'
      ? { 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1' }
      : { 'content-type': 'application/connect+proto', 'connect-protocol-version': '1' };
  const start = performance.now();
  let firstMessageMs = 0;
  let messages = 0;
  let finalTranscript = '';
  let code = 'UNKNOWN';
  const response = await fetch(`${stream.baseUrl}/speech.v1.SpeechService/StreamingTranscribe`, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(stream.timeoutMs),
  });
  const reader = response.body!.getReader();
  let pending = new Uint8Array(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const joined = new Uint8Array(pending.length + value.length);
    joined.set(pending);
    joined.set(value, pending.length);
    pending = joined;
    while (pending.length >= 5) {
      const length = new DataView(pending.buffer, pending.byteOffset).getUint32(1);
      if (pending.length < 5 + length) break;
      const flags = pending[0]!;
      const data = pending.subarray(5, 5 + length);
      pending = pending.slice(5 + length);
      if (flags === 0) {
        messages++;
        if (messages === 1) firstMessageMs = performance.now() - start;
        finalTranscript = fromBinary(es.StreamingTranscribeResponseSchema, data).transcript;
      } else if (stream.protocol === 'grpc-web') {
        const status = /grpc-status:\s*(\d+)/.exec(new TextDecoder().decode(data));
        code = status ? codeNameOf(Number(status[1])) : 'UNKNOWN';
      } else {
        const end = JSON.parse(new TextDecoder().decode(data)) as { error?: { code?: string } };
        code = end.error ? (end.error.code ?? 'unknown').toUpperCase() : 'OK';
      }
    }
  }
  const endMs = performance.now() - start;
  return { httpStatus: response.status, code, messages, firstMessageMs, endMs, finalTranscript };
}

Object.assign(globalThis, { benchPage: { run, callOnce, bidiThroughConnectWeb, streamHalfDuplex } });
