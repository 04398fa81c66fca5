/**
 * A streaming repetition in the results' shape: the unit is a stream, so `counts` and
 * `rps` count streams, and the headline latency is the time to the first partial
 * result (what a live caption or voice UI waits for). The rest rides in `streaming`.
 */
import { loadManifest } from '../corpus/manifest.js';
import type { Repetition } from '../results/results-types.js';
import { clipChoiceOf } from '../scenarios/payload-clips.js';
import type { Payload } from '../scenarios/suite.js';
import type { LatencyPercentilesUs } from '../stats/latency-histogram.js';
import { clipAudio, type StreamingAudio, type StreamingScenarioResult } from '../streaming/index.js';
import type { DriverLoad } from './driver-monitor.js';
import type { ResourceSample } from './server-process.js';

const nothing: LatencyPercentilesUs = { p50: 0, p90: 0, p99: 0, p999: 0, p9999: 0, max: 0 };

/** The first corpus clip of the payload's kind, as raw PCM. */
export function streamingClipAudio(payload: Payload): StreamingAudio {
  const { clipKind, clipId } = clipChoiceOf(payload);
  const clip = loadManifest().clips.find((c) =>
    clipId ? c.id === clipId : c.kind === (clipKind ?? 'command'),
  );
  if (!clip) throw new Error(`the corpus has no ${payload} clip to stream`);
  return clipAudio(clip);
}

export function streamingRepetition(
  result: StreamingScenarioResult,
  context: {
    readonly index: number;
    readonly orderPosition: number;
    readonly driverLoad: DriverLoad;
    readonly before: ResourceSample | undefined;
    readonly after: ResourceSample | undefined;
  },
): Repetition {
  const { before, after, driverLoad } = context;
  const answered = result.streams.ok + result.streams.failed;
  return {
    index: context.index,
    orderPosition: context.orderPosition,
    counts: result.streams,
    rps: result.totalTimeMs > 0 ? (result.streams.ok * 1000) / result.totalTimeMs : 0,
    durationMs: result.totalTimeMs,
    latencyUs: result.timeToFirstPartial.latencyUs ?? nothing,
    histogram: result.timeToFirstPartial.histogram,
    timeline: [],
    bytes: { written: result.bytes.sent, read: result.bytes.received },
    resources: {
      serverCpuUsPerRequest: before && after && answered > 0 ? (after.cpuUs - before.cpuUs) / answered : 0,
      serverPeakRssBytes: after?.peakRssBytes ?? 0,
      driverCpu: driverLoad.cpu,
      driverEventLoopP99Ms: driverLoad.eventLoopP99Ms,
      driverSaturated: driverLoad.saturated,
      driverWindowMs: driverLoad.windowMs,
    },
    streaming: {
      pace: result.pace,
      chunkMs: result.chunkMs,
      audioSeconds: result.audioSeconds,
      chunks: result.chunks,
      responses: result.responses,
      timeToFirstPartialUs: result.timeToFirstPartial.latencyUs ?? nothing,
      messageLatencyUs: result.messageLatency.latencyUs ?? nothing,
      messageLatencyHistogram: result.messageLatency.histogram,
      messagesPerSecond: result.messagesPerSecond,
    },
  };
}
