import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  type RecognitionConfig,
  type StreamingTranscribeRequest,
  StreamingTranscribeResponse,
} from '../../proto/gen/speech/v1/speech.js';
import type { SpeechService } from '../core/speech-service.js';
import { type RawAudioQuery, rawAudioQuerySchema } from './json-schemas.js';
import { configFromQuery, rawAudioContentTypes } from './raw-audio-request.js';
import { toServiceErrorFromRest } from './rest-errors.js';
import { noteAnswer, noteBytesIn } from './rest-gate.js';

async function* requestsOf(
  config: RecognitionConfig,
  body: Readable,
  count: (bytes: number) => void,
): AsyncGenerator<StreamingTranscribeRequest> {
  yield { request: { $case: 'config', config } };
  for await (const chunk of body) {
    count((chunk as Buffer).length);
    yield { request: { $case: 'audioChunk', audioChunk: chunk as Buffer } };
  }
}

function line(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/**
 * Results after the first one go out as NDJSON lines while audio still arrives; an
 * error after the status line was sent can only travel as a last line.
 */
async function* ndjson(
  first: StreamingTranscribeResponse,
  rest: AsyncGenerator<StreamingTranscribeResponse>,
  note: (response: StreamingTranscribeResponse, text: string) => string,
): AsyncGenerator<string> {
  yield note(first, line(StreamingTranscribeResponse.toJSON(first)));
  try {
    for await (const response of rest) {
      yield note(response, line(StreamingTranscribeResponse.toJSON(response)));
    }
  } catch (error) {
    yield line({ error: toServiceErrorFromRest(error).toJSON() });
  }
}

/**
 * `POST /v1/transcribe:stream`: a chunked audio body in, partial and final results
 * out as NDJSON. In its own plugin so that its body parser hands over the stream.
 */
export async function streamingRoute(app: FastifyInstance, service: SpeechService): Promise<void> {
  app.addContentTypeParser(rawAudioContentTypes, (_request, payload, done) => done(null, payload));
  app.post(
    '/v1/transcribe::stream',
    { schema: { querystring: rawAudioQuerySchema } },
    async (request: FastifyRequest<{ Querystring: RawAudioQuery }>, reply) => {
      const config = configFromQuery(request.query, request.headers['content-type']);
      const results = service.streamingTranscribe(
        requestsOf(config, request.body as Readable, (bytes) => noteBytesIn(request, bytes)),
      );
      // Errors before the first result still get a proper HTTP status.
      const first = await results.next();
      if (first.done) throw new Error('the stream ended without a final result');
      reply.header('content-type', 'application/x-ndjson');
      return reply.send(
        Readable.from(
          ndjson(first.value, results, (response, text) => {
            noteAnswer(request, response, Buffer.byteLength(text));
            return text;
          }),
        ),
      );
    },
  );
}
