import { balanceProblems, mergeCounts, type RequestCounts } from '../accounting/request-counts.js';
import { LatencyHistogram, type LatencyPercentilesUs } from '../stats/latency-histogram.js';
import type { ByteCounts } from './counting-relay.js';
import type { StreamingPace } from './pace.js';
import type { OneStreamResult } from './run-one-stream.js';
import type { ResponseCounts, StreamRecord } from './stream-record.js';
import type { StreamingProtocol } from './stream-transport.js';

export interface LatencySummary {
  /** Values recorded. */
  readonly count: number;
  /** null when nothing was recorded. */
  readonly latencyUs: LatencyPercentilesUs | null;
  /** HDR compressed base64, so that runs merge exactly. */
  readonly histogram: string;
}

export interface StreamingScenarioResult {
  readonly scenario: 'streaming-transcribe';
  readonly protocol: StreamingProtocol;
  /**
   * What is measured: each protocol through its usual client library family (grpc-js
   * with the generated stub; node:http), each stream on a fresh connection warmed by one
   * unary call, bytes counted on the socket by a loopback relay (see bench/streaming/README.md).
   */
  readonly method: 'client-family, counting-relay bytes';
  readonly pace: StreamingPace;
  readonly chunkMs: number;
  readonly chunksPerStream: number;
  readonly audioSeconds: number;
  readonly streamsRequested: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** Per stream: `sent = ok + failed + timedOut + notSent + cancelled`. */
  readonly streams: RequestCounts;
  /** Per audio chunk message, the same identity (see chunkCounts). */
  readonly chunks: RequestCounts;
  readonly responses: ResponseCounts;
  /** One value per stream that received a partial. */
  readonly timeToFirstPartial: LatencySummary;
  /** One value per result message: time since the chunk that completed the audio it reports. */
  readonly messageLatency: LatencySummary;
  /** Means over the streams that sent anything, from their per-stream rates. */
  readonly messagesPerSecond: { readonly sent: number; readonly received: number };
  /** Wall time of the whole scenario, warm-ups included. */
  readonly totalTimeMs: number;
  /** Sum over streams, warm-ups excluded. */
  readonly bytes: ByteCounts;
  readonly perStream: readonly StreamRecord[];
  /** Broken identities; empty when the accounting holds. */
  readonly problems: readonly string[];
}

export interface ScenarioShape {
  readonly protocol: StreamingProtocol;
  readonly pace: StreamingPace;
  readonly chunkMs: number;
  readonly chunksPerStream: number;
  readonly audioSeconds: number;
  readonly streamsRequested: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

function summarize(histogram: LatencyHistogram): LatencySummary {
  return {
    count: histogram.count,
    latencyUs: histogram.count === 0 ? null : histogram.percentiles(),
    histogram: histogram.encode(),
  };
}

function streamCounts(records: readonly StreamRecord[]): RequestCounts {
  const counts: RequestCounts = {
    sent: records.length,
    ok: 0,
    failed: 0,
    failedByCode: {},
    timedOut: 0,
    notSent: 0,
    cancelled: 0,
  };
  for (const record of records) {
    counts[record.outcome]++;
    if (record.outcome === 'failed') {
      const code = record.error?.code ?? 'UNKNOWN';
      counts.failedByCode[code] = (counts.failedByCode[code] ?? 0) + 1;
    }
  }
  return counts;
}

/** The identities the acceptance asks for, per stream and per message. */
export function accountingProblems(records: readonly StreamRecord[]): string[] {
  const problems: string[] = [];
  for (const record of records) {
    for (const problem of balanceProblems(record.chunks))
      problems.push(`stream ${record.index} chunks: ${problem}`);
    const { received, partials, finals } = record.responses;
    if (received !== partials + finals)
      problems.push(`stream ${record.index}: received ${received} ≠ partials ${partials} + finals ${finals}`);
    if (record.outcome === 'ok' && (finals !== 1 || record.chunks.ok !== record.chunks.sent))
      problems.push(
        `stream ${record.index}: ok with ${finals} finals and ${record.chunks.ok}/${record.chunks.sent} chunks ok`,
      );
  }
  return problems;
}

export function streamingResult(
  shape: ScenarioShape,
  results: readonly OneStreamResult[],
  totalTimeMs: number,
): StreamingScenarioResult {
  const records = [...results].map((r) => r.record).sort((a, b) => a.index - b.index);
  const firstPartial = LatencyHistogram.create();
  const messages = LatencyHistogram.create();
  for (const result of results) {
    const ttfp = result.record.timeToFirstPartialMs;
    if (ttfp !== null) firstPartial.recordUs(ttfp * 1000);
    for (const us of result.messageLatenciesUs) messages.recordUs(us);
  }
  const active = records.filter((r) => r.totalMs > 0);
  const mean = (pick: (r: StreamRecord) => number) =>
    active.length === 0 ? 0 : active.reduce((sum, r) => sum + pick(r), 0) / active.length;
  const streams = streamCounts(records);
  const chunks = mergeCounts(records.map((r) => r.chunks));
  const responses = {
    received: records.reduce((n, r) => n + r.responses.received, 0),
    partials: records.reduce((n, r) => n + r.responses.partials, 0),
    finals: records.reduce((n, r) => n + r.responses.finals, 0),
  };
  const problems = [
    ...balanceProblems(streams).map((p) => `streams: ${p}`),
    ...balanceProblems(chunks).map((p) => `chunks: ${p}`),
    ...accountingProblems(records),
  ];
  if (streams.sent !== shape.streamsRequested)
    problems.push(`streams: ${streams.sent} accounted for ${shape.streamsRequested} requested`);
  return {
    scenario: 'streaming-transcribe',
    method: 'client-family, counting-relay bytes',
    ...shape,
    streams,
    chunks,
    responses,
    timeToFirstPartial: summarize(firstPartial),
    messageLatency: summarize(messages),
    messagesPerSecond: {
      sent: mean((r) => r.messagesPerSecond.sent),
      received: mean((r) => r.messagesPerSecond.received),
    },
    totalTimeMs,
    bytes: {
      sent: records.reduce((n, r) => n + r.bytes.sent, 0),
      received: records.reduce((n, r) => n + r.bytes.received, 0),
    },
    perStream: records,
    problems,
  };
}
