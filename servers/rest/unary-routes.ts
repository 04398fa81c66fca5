import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  ClassifyRequest,
  ClassifyResponse,
  ServerInfo,
  TranscribeAndClassifyRequest,
  TranscribeAndClassifyResponse,
  TranscribeRequest,
  TranscribeResponse,
} from '../../proto/gen/speech/v1/speech.js';
import type { SpeechService } from '../core/speech-service.js';
import {
  classifyRequestSchema,
  type RawAudioQuery,
  rawAudioQuerySchema,
  transcribeAndClassifyRequestSchema,
  transcribeRequestSchema,
} from './json-schemas.js';
import { configFromQuery, labelsFromQuery, rawAudioContentTypes } from './raw-audio-request.js';

type Body = FastifyRequest<{ Body: unknown; Querystring: RawAudioQuery }>;

function isRawAudio(request: Body): request is Body & { body: Buffer } {
  return Buffer.isBuffer(request.body);
}

/**
 * JSON bodies are validated against the message schema; raw audio carries its
 * config in the query, validated against the query schema.
 */
function bodyOrQuery(jsonSchema: object) {
  const raw = Object.fromEntries(rawAudioContentTypes.map((type) => [type, { schema: {} }]));
  return {
    schema: {
      body: { content: { 'application/json': { schema: jsonSchema }, ...raw } },
      querystring: rawAudioQuerySchema,
    },
  };
}

/** The unary RPCs over HTTP/1.1 JSON or raw audio: translation only. */
export async function unaryRoutes(app: FastifyInstance, service: SpeechService): Promise<void> {
  app.addContentTypeParser(
    rawAudioContentTypes,
    { parseAs: 'buffer', bodyLimit: service.limits.maxAudioBytes + 1 },
    (_request, body, done) => done(null, body),
  );

  app.post('/v1/classify', { schema: { body: classifyRequestSchema } }, async (request) =>
    ClassifyResponse.toJSON(await service.classify(ClassifyRequest.fromJSON(request.body))),
  );

  app.post('/v1/transcribe', bodyOrQuery(transcribeRequestSchema), async (request: Body) => {
    const message = isRawAudio(request)
      ? { audio: request.body, config: configFromQuery(request.query, request.headers['content-type']) }
      : TranscribeRequest.fromJSON(request.body);
    return TranscribeResponse.toJSON(await service.transcribe(message));
  });

  app.post(
    '/v1/transcribe-and-classify',
    bodyOrQuery(transcribeAndClassifyRequestSchema),
    async (request: Body) => {
      const message = isRawAudio(request)
        ? {
            audio: request.body,
            config: configFromQuery(request.query, request.headers['content-type']),
            candidateLabels: labelsFromQuery(request.query),
            multiLabel: request.query.multiLabel === 'true',
            hypothesisTemplate: request.query.hypothesisTemplate ?? '',
          }
        : TranscribeAndClassifyRequest.fromJSON(request.body);
      return TranscribeAndClassifyResponse.toJSON(await service.transcribeAndClassify(message));
    },
  );

  app.get('/v1/info', async () => ServerInfo.toJSON(service.serverInfo()));
  app.get('/healthz', async () => ({
    status: 'SERVING',
    ...(ServerInfo.toJSON(service.serverInfo()) as object),
  }));
}
