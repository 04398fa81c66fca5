import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { StreamingTranscribeResponse } from '../proto/gen/speech/v1/speech.js';
import { ServiceError } from '../servers/core/service-error.js';
import { pumpAudio } from './audio-pump.js';
import { CallClosure } from './call-closure.js';
import { errorFromHttpBody, errorFromTransport } from './http-errors.js';

/**
 * One `POST /v1/transcribe:stream` on `request`: `audio` as the chunked body,
 * NDJSON results back. Every wait (the response, each result chunk, the pump's
 * next chunk and `drain`) ends when the call does: the server's answer, the
 * deadline, a transport failure or the consumer stopping, whichever comes first.
 */
export async function* streamOverHttp(
  request: ClientRequest,
  audio: AsyncIterable<Uint8Array>,
  deadlineMs: number | undefined,
): AsyncGenerator<StreamingTranscribeResponse> {
  const closure = new CallClosure();
  let responded = false;
  // Kept apart from the request: once the answer has ended, Node may already have put
  // the socket back in the pool, out of `request.destroy()`'s reach.
  let socket: Socket | null = null;
  const response = new Promise<IncomingMessage>((resolve) =>
    request.once('response', (incoming: IncomingMessage) => {
      responded = true;
      socket = incoming.socket;
      resolve(incoming);
    }),
  );
  // Once the server has answered, its answer decides: a write failing because it
  // closed the connection after a 400 (EPIPE) must not hide the 400.
  request.on('error', (error) => {
    if (!responded) closure.close(errorFromTransport(error, false));
  });
  const timer =
    deadlineMs === undefined
      ? undefined
      : setTimeout(() => {
          closure.close(new ServiceError('DEADLINE_EXCEEDED', 'deadline exceeded'));
          request.destroy();
        }, deadlineMs);
  let sourceFailed = false;
  let sourceError: unknown;
  const pump = pumpAudio(audio, closure, {
    write: (chunk) => request.write(chunk),
    end: () => request.end(),
    emitter: request,
  }).catch((error: unknown) => {
    sourceFailed = true;
    sourceError = error;
    closure.close(new ServiceError('CANCELLED', 'the audio source failed'));
  });
  try {
    const incoming = await closure.whileOpen(response);
    if (incoming === undefined) throw whyEnded(closure);
    if (incoming.statusCode !== 200) {
      // The body is no longer wanted: stop the pump now, then read why.
      closure.close(errorFromHttpBody(incoming.statusCode ?? 0, ''));
      throw errorFromHttpBody(incoming.statusCode ?? 0, await bodyText(incoming));
    }
    yield* ndjsonResults(incoming, closure);
  } catch (error) {
    if (sourceFailed) throw sourceError;
    if (error instanceof ServiceError) throw error;
    // A raw stream error after the deadline is the reset the deadline caused.
    throw closure.error ?? errorFromTransport(error as Error, false);
  } finally {
    clearTimeout(timer);
    closure.close(new ServiceError('CANCELLED', 'the consumer stopped reading the results'));
    // A clean exchange leaves the keep-alive socket reusable; any other end leaves it
    // mid-message (a refusal arrives while the body is still being sent), so it must go.
    if (closure.error !== undefined || !request.writableEnded) {
      request.destroy();
      (socket as Socket | null)?.destroy();
    }
    await pump;
  }
}

/** The whole body, or what arrived of it before the connection failed (the deadline bounds it). */
function bodyText(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', done);
    incoming.on('error', done);
    incoming.on('close', done);
  });
}

function parsedLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new ServiceError('INTERNAL', `a result line is not JSON: ${line.slice(0, 80)}`);
  }
}

async function* ndjsonResults(
  incoming: IncomingMessage,
  closure: CallClosure,
): AsyncGenerator<StreamingTranscribeResponse> {
  const chunks: AsyncIterator<Buffer> = incoming[Symbol.asyncIterator]();
  let buffered = '';
  let sawFinal = false;
  try {
    for (;;) {
      const next = await closure.whileOpen(chunks.next());
      if (next === undefined) throw whyEnded(closure);
      if (next.done) break;
      buffered += next.value.toString('utf8');
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const parsed = parsedLine(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        if (parsed && typeof parsed === 'object' && 'error' in parsed) {
          throw errorFromHttpBody(500, JSON.stringify(parsed.error));
        }
        const result = StreamingTranscribeResponse.fromJSON(parsed);
        sawFinal ||= result.isFinal;
        yield result;
      }
    }
  } finally {
    // Not awaited: a pending read settles only when the socket goes, which the caller sees to.
    chunks.return?.().catch(() => {});
  }
  if (!sawFinal) throw new ServiceError('UNAVAILABLE', 'the stream ended before its final result');
  closure.close(undefined);
}

/** Why a wait was cut short: the call ended, and only ends with an error cut waits. */
function whyEnded(closure: CallClosure): ServiceError {
  return closure.error ?? new ServiceError('CANCELLED', 'the call ended');
}
