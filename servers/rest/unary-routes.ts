import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  ClassifyRequest,
  ClassifyResponse,
  type MessageFns,
  ServerInfo,
  TranscribeAndClassifyRequest,
  TranscribeAndClassifyResponse,
  TranscribeRequest,
  TranscribeResponse,
} from '../../proto/gen/speech/v1/speech.js';
import { transportMessageLimit } from '../core/limits.js';
import type { SpeechService } from '../core/speech-service.js';
import {
  classifyRequestSchema,
  type RawAudioQuery,
  rawAudioQuerySchema,
  transcribeAndClassifyRequestSchema,
  transcribeRequestSchema,
} from './json-schemas.js';
import { decodeProtobufBody, isProtobufBody, protobufContentType, replyWith } from './protobuf-bodies.js';
import { configFromQuery, labelsFromQuery, rawAudioContentTypes } from './raw-audio-request.js';

type Body = FastifyRequest<{ Body: unknown; Querystring: RawAudioQuery }>;

/**
 * JSON bodies are validated against the message schema; protobuf bodies by decoding;
 * raw audio carries its config in the query, validated against the query schema.
 */
function routeSchema(jsonSchema: object, rawAudio: boolean) {
  const binary = { schema: {} };
  const raw = rawAudio ? Object.fromEntries(rawAudioContentTypes.map((type) => [type, binary])) : {};
  return {
    schema: {
      body: {
        content: { 'application/json': { schema: jsonSchema }, [protobufContentType]: binary, ...raw },
      },
      ...(rawAudio ? { querystring: rawAudioQuerySchema } : {}),
    },
  };
}

/** The request message, whichever of JSON, protobuf or raw audio it came in. */
function messageOf<T>(request: Body, codec: MessageFns<T>, fromRawAudio?: (audio: Buffer) => T): T {
  if (isProtobufBody(request)) return decodeProtobufBody(codec, request.body);
  if (fromRawAudio && Buffer.isBuffer(request.body)) return fromRawAudio(request.body);
  return codec.fromJSON(request.body);
}

/** The unary RPCs over JSON, protobuf or raw audio bodies: translation only. */
export async function unaryRoutes(app: FastifyInstance, service: SpeechService): Promise<void> {
  app.addContentTypeParser(
    rawAudioContentTypes,
    { parseAs: 'buffer', bodyLimit: service.limits.maxAudioBytes + 1 },
    (_request, body, done) => done(null, body),
  );
  app.addContentTypeParser(
    protobufContentType,
    { parseAs: 'buffer', bodyLimit: transportMessageLimit(service.limits, 'binary') },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/v1/classify',
    routeSchema(classifyRequestSchema, false),
    async (request: Body, reply: FastifyReply) =>
      replyWith(
        request,
        reply,
        ClassifyResponse,
        await service.classify(messageOf(request, ClassifyRequest)),
      ),
  );

  app.post('/v1/transcribe', routeSchema(transcribeRequestSchema, true), async (request: Body, reply) => {
    const message = messageOf(request, TranscribeRequest, (audio) => ({
      audio,
      config: configFromQuery(request.query, request.headers['content-type']),
    }));
    return replyWith(request, reply, TranscribeResponse, await service.transcribe(message));
  });

  app.post(
    '/v1/transcribe-and-classify',
    routeSchema(transcribeAndClassifyRequestSchema, true),
    async (request: Body, reply) => {
      const message = messageOf(request, TranscribeAndClassifyRequest, (audio) => ({
        audio,
        config: configFromQuery(request.query, request.headers['content-type']),
        candidateLabels: labelsFromQuery(request.query),
        multiLabel: request.query.multiLabel === 'true',
        hypothesisTemplate: request.query.hypothesisTemplate ?? '',
      }));
      return replyWith(
        request,
        reply,
        TranscribeAndClassifyResponse,
        await service.transcribeAndClassify(message),
      );
    },
  );

  app.get('/v1/info', async () => ServerInfo.toJSON(service.serverInfo()));
  app.get('/healthz', async () => ({
    status: 'SERVING',
    ...(ServerInfo.toJSON(service.serverInfo()) as object),
  }));
}
