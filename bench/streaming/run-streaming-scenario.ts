import type { ClientTls } from '../../clients/client-tls.js';
import type { RecognitionConfig } from '../../proto/gen/speech/v1/speech.js';
import { planChunks, type StreamingAudio } from './audio-chunks.js';
import { linear16Config } from './clip-audio.js';
import type { StreamingPace } from './pace.js';
import { type OneStreamResult, runOneStream } from './run-one-stream.js';
import type { StreamingProtocol } from './stream-transport.js';
import { type StreamingScenarioResult, streamingResult } from './streaming-result.js';

export interface StreamingScenarioOptions {
  readonly protocol: StreamingProtocol;
  readonly host: string;
  readonly port: number;
  /** Over TLS (mTLS with a client pair); plaintext unless given. */
  readonly tls?: ClientTls;
  readonly audio: StreamingAudio;
  /** Sent first on every stream; LINEAR16 at the audio's rate unless given. */
  readonly config?: RecognitionConfig;
  /** Audio per chunk message; 100 ms unless given. */
  readonly chunkMs?: number;
  /** 'realtime' unless given. */
  readonly pace?: StreamingPace;
  /** Streams in all; 1 unless given. */
  readonly streams?: number;
  /** Streams at a time; 1 (sequential) unless given. */
  readonly concurrency?: number;
  /** Per stream, from its call's start; the stream is cancelled and counted timedOut. */
  readonly timeoutMs?: number;
  /** Per stream, for the warm-up call; 5 s unless given. */
  readonly warmUpTimeoutMs?: number;
  /** Stops the run: streams in flight count as cancelled, streams not begun as notSent. */
  readonly signal?: AbortSignal;
}

export const streamingLimits = { maxStreams: 100_000, maxConcurrency: 1_000 } as const;

function wholeInRange(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new RangeError(`${name} must be a whole number in 1..${max}, not ${value}`);
  return value;
}

/** Timeout default: the audio at real-time pace three times over, plus 10 s of slack. */
function defaultTimeoutMs(audioSeconds: number): number {
  return Math.ceil(audioSeconds * 3000) + 10_000;
}

/**
 * Runs `streams` StreamingTranscribe calls, `concurrency` at a time, each on a
 * connection of its own, and accounts for every stream and every message. Never
 * throws for what the server or network does: those are counted in the result.
 */
export async function runStreamingScenario(
  options: StreamingScenarioOptions,
): Promise<StreamingScenarioResult> {
  const chunkMs = options.chunkMs ?? 100;
  const plan = planChunks(options.audio, chunkMs);
  const streams = wholeInRange('streams', options.streams ?? 1, streamingLimits.maxStreams);
  const concurrency = Math.min(
    streams,
    wholeInRange('concurrency', options.concurrency ?? 1, streamingLimits.maxConcurrency),
  );
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs(plan.audioSeconds);
  if (!(timeoutMs > 0)) throw new RangeError('timeoutMs must be > 0');
  const pace = options.pace ?? 'realtime';
  const base = {
    protocol: options.protocol,
    host: options.host,
    port: options.port,
    tls: options.tls,
    config: options.config ?? linear16Config(options.audio.sampleRateHertz),
    plan,
    sampleRateHertz: options.audio.sampleRateHertz,
    chunkMs,
    pace,
    timeoutMs,
    warmUpTimeoutMs: options.warmUpTimeoutMs ?? 5000,
    signal: options.signal,
  };
  const started = performance.now();
  const results: OneStreamResult[] = [];
  let next = 0;
  // Each worker takes the next stream index until none are left: bounded by `streams`.
  const worker = async () => {
    while (next < streams) {
      const index = next++;
      results.push(await runOneStream({ ...base, index }));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return streamingResult(
    {
      protocol: options.protocol,
      pace,
      chunkMs,
      chunksPerStream: plan.chunks.length,
      audioSeconds: plan.audioSeconds,
      streamsRequested: streams,
      concurrency,
      timeoutMs,
    },
    results,
    performance.now() - started,
  );
}
