import type { ClientTls } from '../../clients/client-tls.js';
import type { RecognitionConfig, StreamingTranscribeResponse } from '../../proto/gen/speech/v1/speech.js';
import { ServiceError } from '../../servers/core/service-error.js';
import { type ChunkPlan, coveringChunk } from './audio-chunks.js';
import { CountingRelay } from './counting-relay.js';
import { createTransport } from './create-transport.js';
import { type StreamingPace, waitUntil } from './pace.js';
import { chunkCounts, type StreamOutcome, type StreamRecord } from './stream-record.js';
import type { StreamingCall, StreamingProtocol } from './stream-transport.js';

export interface OneStreamOptions {
  readonly index: number;
  readonly protocol: StreamingProtocol;
  readonly host: string;
  readonly port: number;
  /** Without it, plaintext; the relay counts the bytes on the wire either way. */
  readonly tls: ClientTls | undefined;
  readonly config: RecognitionConfig;
  readonly plan: ChunkPlan;
  readonly sampleRateHertz: number;
  readonly chunkMs: number;
  readonly pace: StreamingPace;
  readonly timeoutMs: number;
  readonly warmUpTimeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

export interface OneStreamResult {
  readonly record: StreamRecord;
  /** Per result message: time since the chunk that completed the audio it reports. */
  readonly messageLatenciesUs: readonly number[];
}

/** What happened on the call, gathered as it runs. */
class CallLog {
  readonly sentAt: number[] = [];
  readonly latenciesUs: number[] = [];
  partials = 0;
  finals = 0;
  firstPartialAt: number | undefined;
  final: StreamingTranscribeResponse | undefined;
  closedAt = 0;
  error: ServiceError | undefined;
  stoppedBy: 'timedOut' | 'cancelled' | undefined;
  isClosed = false;
}

/**
 * One stream on a connection of its own through a counting relay: a warm-up call,
 * then config and chunks (paced or not), until the final result, an error, the
 * timeout or the run's abort signal; whichever comes first ends it.
 */
export async function runOneStream(options: OneStreamOptions): Promise<OneStreamResult> {
  if (options.signal?.aborted) return { record: notSentRecord(options), messageLatenciesUs: [] };
  try {
    return await relayedStream(options);
  } catch (error) {
    // Local trouble (no relay port, say): still one stream, accounted, never a throw.
    const failure = new ServiceError('UNKNOWN', error instanceof Error ? error.message : String(error));
    return { record: failedBeforeCallRecord(options, failure), messageLatenciesUs: [] };
  }
}

async function relayedStream(options: OneStreamOptions): Promise<OneStreamResult> {
  const relay = await CountingRelay.start({ host: options.host, port: options.port });
  const transport = createTransport(options.protocol, relay.host, relay.port, options.tls);
  try {
    try {
      await transport.warmUp(options.warmUpTimeoutMs);
    } catch (error) {
      const failure = error instanceof ServiceError ? error : new ServiceError('UNKNOWN', String(error));
      return { record: failedBeforeCallRecord(options, failure), messageLatenciesUs: [] };
    }
    const before = relay.counts();
    const log = await driveCall(options, (handlers) => transport.open(options.config, handlers));
    const after = relay.counts();
    const bytes = { sent: after.sent - before.sent, received: after.received - before.received };
    return { record: recordOf(options, log, bytes), messageLatenciesUs: log.latenciesUs };
  } finally {
    transport.close();
    await relay.close();
  }
}

type Open = (handlers: {
  onMessage(message: StreamingTranscribeResponse): void;
  onClose(error: ServiceError | undefined): void;
}) => StreamingCall;

async function driveCall(options: OneStreamOptions, open: Open): Promise<CallLog> {
  const log = new CallLog();
  const { plan } = options;
  let markClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  const call = open({
    onMessage(message) {
      const now = performance.now();
      if (message.isFinal) {
        log.finals++;
        log.final = message;
      } else {
        log.partials++;
        log.firstPartialAt ??= now;
      }
      const chunk = Math.min(
        coveringChunk(plan, Math.round(message.audioDuration * options.sampleRateHertz)),
        log.sentAt.length - 1,
      );
      if (chunk >= 0) log.latenciesUs.push((now - log.sentAt[chunk]!) * 1000);
    },
    onClose(error) {
      log.closedAt = performance.now();
      log.error = error;
      log.isClosed = true;
      markClosed();
    },
  });
  const stop = (why: 'timedOut' | 'cancelled') => {
    if (log.isClosed) return;
    log.stoppedBy ??= why;
    call.cancel();
  };
  const timer = setTimeout(() => stop('timedOut'), options.timeoutMs);
  const onAbort = () => stop('cancelled');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // The signal may have fired during the warm-up, before anyone listened.
  if (options.signal?.aborted) onAbort();
  try {
    const start = performance.now();
    for (let i = 0; i < plan.chunks.length; i++) {
      if (options.pace === 'realtime') await waitUntil(start + i * options.chunkMs, closed);
      if (log.isClosed) break;
      log.sentAt.push(performance.now());
      if (!(await call.write(plan.chunks[i]!))) break;
    }
    if (!log.isClosed) call.end();
    await closed;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
  return log;
}

function recordOf(
  options: OneStreamOptions,
  log: CallLog,
  bytes: { sent: number; received: number },
): StreamRecord {
  const { plan } = options;
  const finalSamples = log.final ? Math.round(log.final.audioDuration * options.sampleRateHertz) : 0;
  const covered = log.final ? plan.endSamples.filter((end) => end <= finalSamples).length : 0;
  const allCovered = covered === plan.chunks.length && log.sentAt.length === plan.chunks.length;
  let error = log.error;
  let outcome: StreamOutcome;
  if (log.stoppedBy) outcome = log.stoppedBy;
  else if (error) outcome = 'failed';
  else if (log.finals === 1 && allCovered) outcome = 'ok';
  else {
    outcome = 'failed';
    error = new ServiceError(
      'DATA_LOSS',
      `the stream closed with ${log.finals} final results covering ${covered} of ${plan.chunks.length} chunks`,
    );
  }
  const started = log.sentAt[0] ?? log.closedAt;
  const totalMs = log.closedAt - started;
  const received = log.partials + log.finals;
  const perSecond = (n: number) => (totalMs > 0 ? (n * 1000) / totalMs : 0);
  return {
    index: options.index,
    outcome,
    error: outcome === 'failed' && error ? { code: error.code, message: error.message } : null,
    chunks: chunkCounts({
      planned: plan.chunks.length,
      handedOver: log.sentAt.length,
      covered,
      outcome,
      code: error?.code,
    }),
    responses: { received, partials: log.partials, finals: log.finals },
    timeToFirstPartialMs: log.firstPartialAt === undefined ? null : log.firstPartialAt - started,
    totalMs,
    messagesPerSecond: { sent: perSecond(log.sentAt.length), received: perSecond(received) },
    bytes,
    finalAudioSeconds: log.final ? log.final.audioDuration : null,
    finalTranscript: log.final ? log.final.transcript : null,
  };
}

function emptyRecord(
  options: OneStreamOptions,
  outcome: StreamOutcome,
  error: ServiceError | null,
): StreamRecord {
  const planned = options.plan.chunks.length;
  return {
    index: options.index,
    outcome,
    error: error ? { code: error.code, message: error.message } : null,
    chunks: chunkCounts({ planned, handedOver: 0, covered: 0, outcome, code: error?.code }),
    responses: { received: 0, partials: 0, finals: 0 },
    timeToFirstPartialMs: null,
    totalMs: 0,
    messagesPerSecond: { sent: 0, received: 0 },
    bytes: { sent: 0, received: 0 },
    finalAudioSeconds: null,
    finalTranscript: null,
  };
}

function notSentRecord(options: OneStreamOptions): StreamRecord {
  return emptyRecord(options, 'notSent', null);
}

/** The connection never got ready: the stream failed with the warm-up's code, none of its chunks went out. */
function failedBeforeCallRecord(options: OneStreamOptions, error: ServiceError): StreamRecord {
  return emptyRecord(options, 'failed', error);
}
