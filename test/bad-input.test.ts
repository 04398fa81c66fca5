import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, readClipAudio } from '../bench/corpus/manifest.js';
import { ClassifyRequest, TranscribeRequest } from '../proto/gen/speech/v1/speech.js';
import { defaultLimits } from '../servers/core/limits.js';
import { malformedProtobufs } from './support/malformed-protobufs.js';
import { grpcRawUnary, restRaw } from './support/raw-calls.js';
import { startTestServers, type TestServers } from './support/test-servers.js';

const command = loadManifest().clips.find((clip) => clip.kind === 'command')!;
const validClassify = { text: 'play some jazz', candidateLabels: ['music', 'weather'] };

/**
 * Bytes and bodies that no typed client would send. Each must get the documented
 * error, and the server must answer the next valid request as usual.
 */
describe('bad input never crashes or hangs a server', () => {
  let servers: TestServers;
  beforeAll(async () => {
    servers = await startTestServers();
  });
  afterAll(async () => servers?.close());

  async function stillServes(): Promise<void> {
    const [grpc, rest] = await Promise.all([
      servers.grpc.classify({ ...validClassify, multiLabel: false, hypothesisTemplate: '' }),
      servers.rest.classify({ ...validClassify, multiLabel: false, hypothesisTemplate: '' }),
    ]);
    expect(grpc.labels[0]).toBe('music');
    expect(rest).toEqual(grpc);
  }

  it.each(malformedProtobufs)('gRPC: malformed protobuf (%s) is INVALID_ARGUMENT', async (_name, bytes) => {
    expect(await grpcRawUnary(servers.grpcPort, '/speech.v1.SpeechService/Classify', bytes)).toBe(
      'INVALID_ARGUMENT',
    );
    await stillServes();
  });

  it('gRPC: a message over the transport limit is RESOURCE_EXHAUSTED', async () => {
    const huge = TranscribeRequest.encode({
      audio: Buffer.alloc(defaultLimits.maxAudioBytes * 2),
      config: undefined,
    }).finish();
    expect(
      await grpcRawUnary(servers.grpcPort, '/speech.v1.SpeechService/Transcribe', Buffer.from(huge)),
    ).toBe('RESOURCE_EXHAUSTED');
    await stillServes();
  });

  it('gRPC: an unknown method is UNIMPLEMENTED', async () => {
    const body = Buffer.from(
      ClassifyRequest.encode({ ...validClassify, multiLabel: false, hypothesisTemplate: '' }).finish(),
    );
    expect(await grpcRawUnary(servers.grpcPort, '/speech.v1.SpeechService/Nope', body)).toBe('UNIMPLEMENTED');
  });

  it.each([
    [
      'malformed JSON',
      '/v1/classify',
      '{"text": "hi", "candidateLabels": [',
      'application/json',
      400,
      'INVALID_ARGUMENT',
    ],
    ['empty JSON body', '/v1/classify', '', 'application/json', 400, 'INVALID_ARGUMENT'],
    [
      'a string where a list belongs',
      '/v1/classify',
      '{"text":"hi","candidateLabels":"a"}',
      'application/json',
      400,
      'INVALID_ARGUMENT',
    ],
    [
      'a number where text belongs',
      '/v1/classify',
      '{"text":5,"candidateLabels":["a"]}',
      'application/json',
      400,
      'INVALID_ARGUMENT',
    ],
    [
      'a string where a boolean belongs',
      '/v1/classify',
      '{"text":"hi","candidateLabels":["a"],"multiLabel":"true"}',
      'application/json',
      400,
      'INVALID_ARGUMENT',
    ],
    [
      'null for a field',
      '/v1/classify',
      '{"text":null,"candidateLabels":["a"]}',
      'application/json',
      400,
      'INVALID_ARGUMENT',
    ],
    [
      'an unknown property',
      '/v1/classify',
      '{"text":"hi","candidateLabels":["a"],"labels":["b"]}',
      'application/json',
      400,
      'INVALID_ARGUMENT',
    ],
    [
      'snake_case names',
      '/v1/classify',
      '{"text":"hi","candidate_labels":["a"]}',
      'application/json',
      400,
      'INVALID_ARGUMENT',
    ],
    [
      'prototype pollution',
      '/v1/classify',
      '{"text":"hi","candidateLabels":["a"],"__proto__":{"x":1}}',
      'application/json',
      400,
      'INVALID_ARGUMENT',
    ],
    ['a JSON array body', '/v1/classify', '[1,2,3]', 'application/json', 400, 'INVALID_ARGUMENT'],
    ['an unsupported content type', '/v1/classify', 'text=hi', 'text/plain', 415, 'INVALID_ARGUMENT'],
    [
      'base64 with invalid characters',
      '/v1/transcribe',
      '{"audio":"not base64!!"}',
      'application/json',
      400,
      'INVALID_ARGUMENT',
    ],
    [
      'an unknown encoding name',
      '/v1/transcribe',
      '{"audio":"UklGRg==","config":{"encoding":"MP3"}}',
      'application/json',
      400,
      'INVALID_ARGUMENT',
    ],
    [
      'a fractional sample rate',
      '/v1/transcribe',
      '{"audio":"UklGRg==","config":{"sampleRateHertz":16000.5}}',
      'application/json',
      400,
      'INVALID_ARGUMENT',
    ],
    ['raw non-WAV bytes', '/v1/transcribe', 'this is not audio', 'audio/wav', 400, 'INVALID_ARGUMENT'],
    [
      'a raw body over the limit',
      '/v1/transcribe',
      Buffer.alloc(defaultLimits.maxAudioBytes + 10),
      'audio/wav',
      413,
      'RESOURCE_EXHAUSTED',
    ],
    [
      'a JSON body over the limit',
      '/v1/transcribe',
      JSON.stringify({ audio: Buffer.alloc(defaultLimits.maxAudioBytes * 2).toString('base64') }),
      'application/json',
      413,
      'RESOURCE_EXHAUSTED',
    ],
    ['an unknown query parameter', '/v1/transcribe?rate=16000', 'RIFF', 'audio/wav', 400, 'INVALID_ARGUMENT'],
    [
      'a non-numeric rate in the query',
      '/v1/transcribe?sampleRateHertz=fast',
      'RIFF',
      'audio/wav',
      400,
      'INVALID_ARGUMENT',
    ],
    ['an unknown route', '/v1/nothing', '{}', 'application/json', 404, 'NOT_FOUND'],
  ])('REST: %s', async (_name, path, body, contentType, status, code) => {
    expect(await restRaw(servers.restPort, path, body, contentType)).toEqual({ status, code });
    await stillServes();
  });

  it('REST: raw WAV upload gives the same transcript as the JSON body', async () => {
    const audio = readClipAudio(command);
    const raw = await servers.rest.transcribeRaw(audio, {
      encoding: 0,
      sampleRateHertz: 0,
      languageCode: '',
    });
    const json = await servers.rest.transcribe({ audio, config: undefined });
    expect(raw).toEqual(json);
    expect(raw.transcript).toBe(command.text);
  });
});
