/**
 * The REST server's other forms, against real servers: protobuf bodies (the same messages
 * gRPC carries) over HTTP/1.1, and the JSON API over HTTP/2 (h2c).
 */
import { type ClientHttp2Session, connect, constants } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceClips } from '../../bench/corpus/reference-clips.js';
import { buildRequestPayload, type RequestPayload } from '../../bench/drivers/request-payloads.js';
import {
  ClassifyRequest,
  ClassifyResponse,
  type MessageFns,
  TranscribeResponse,
} from '../../proto/gen/speech/v1/speech.js';
import { defaultLimits } from '../../servers/core/limits.js';
import type { RunningServer } from '../../servers/grpc/grpc-server.js';
import { protobufContentType } from '../../servers/rest/protobuf-bodies.js';
import { startRestServer } from '../../servers/rest/rest-server.js';
import { createSpeechRuntime, type SpeechRuntime } from '../../servers/speech-runtime.js';

let runtime: SpeechRuntime;
let h1: RunningServer;
let h2: RunningServer;

beforeAll(async () => {
  runtime = await createSpeechRuntime(
    { choice: 'reference', realTimeFactor: 0, referenceClips: loadReferenceClips },
    defaultLimits,
  );
  h1 = await startRestServer({ service: runtime.service, host: '127.0.0.1', port: 0 });
  h2 = await startRestServer({ service: runtime.service, host: '127.0.0.1', port: 0, http2: true });
}, 60_000);

afterAll(async () => {
  await Promise.all([h1?.close(), h2?.close()]);
  await runtime?.close();
});

async function post(path: string, body: Uint8Array, headers: Record<string, string>) {
  const response = await fetch(`http://127.0.0.1:${h1.port}${path}`, {
    method: 'POST',
    headers,
    body: new Uint8Array(body),
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: Buffer.from(await response.arrayBuffer()),
  };
}

function h2Post(
  session: ClientHttp2Session,
  path: string,
  body: Uint8Array,
  headers: Record<string, string>,
) {
  return new Promise<{ status: number; type: string; body: Buffer }>((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': path, ...headers });
    const chunks: Buffer[] = [];
    let status = 0;
    let type = '';
    stream.on('response', (h) => {
      status = Number(h[constants.HTTP2_HEADER_STATUS]);
      type = String(h['content-type'] ?? '');
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve({ status, type, body: Buffer.concat(chunks) }));
    stream.on('error', reject);
    stream.end(body);
  });
}

const classify = buildRequestPayload({ rpc: 'classify' });
const transcribe = buildRequestPayload({ rpc: 'transcribe', clipKind: 'short3s' });

describe('REST with protobuf bodies (rest-proto-h1)', () => {
  async function expectSameAnswer<T>(payload: RequestPayload, codec: MessageFns<T>): Promise<void> {
    const json = await post(payload.restPath, payload.jsonBody, { 'content-type': 'application/json' });
    const proto = await post(payload.restPath, payload.protobuf, {
      'content-type': protobufContentType,
      accept: protobufContentType,
    });
    expect(json.status).toBe(200);
    expect(proto.status).toBe(200);
    expect(proto.type).toBe(protobufContentType);
    expect(codec.toJSON(codec.decode(proto.body))).toEqual(JSON.parse(json.body.toString()));
  }

  it('answers protobuf with what it answers in JSON', async () => {
    await expectSameAnswer(classify, ClassifyResponse);
    await expectSameAnswer(transcribe, TranscribeResponse);
  });

  it('answers JSON to a protobuf request that does not ask for protobuf', async () => {
    const answer = await post(classify.restPath, classify.protobuf, { 'content-type': protobufContentType });
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body.toString()).labels).toHaveLength(7);
  });

  it('rejects malformed protobuf with INVALID_ARGUMENT and keeps serving', async () => {
    const garbage = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
    const bad = await post('/v1/classify', garbage, {
      'content-type': protobufContentType,
      accept: protobufContentType,
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body.toString()).code).toBe('INVALID_ARGUMENT');
    const empty = ClassifyRequest.encode({
      text: '',
      candidateLabels: ['a'],
      multiLabel: false,
      hypothesisTemplate: '',
    });
    const invalid = await post('/v1/classify', empty.finish(), { 'content-type': protobufContentType });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body.toString()).code).toBe('INVALID_ARGUMENT');
    const next = await post(classify.restPath, classify.protobuf, { 'content-type': protobufContentType });
    expect(next.status).toBe(200);
  });
});

describe('REST over HTTP/2 (rest-json-h2)', () => {
  it('answers JSON and protobuf over h2c as over HTTP/1.1, errors included', async () => {
    const session = connect(`http://127.0.0.1:${h2.port}`);
    try {
      const json = await h2Post(session, classify.restPath, classify.jsonBody, {
        'content-type': 'application/json',
      });
      const reference = await post(classify.restPath, classify.jsonBody, {
        'content-type': 'application/json',
      });
      expect(json.status).toBe(200);
      expect(JSON.parse(json.body.toString())).toEqual(JSON.parse(reference.body.toString()));
      const proto = await h2Post(session, transcribe.restPath, transcribe.protobuf, {
        'content-type': protobufContentType,
        accept: protobufContentType,
      });
      expect(proto.status).toBe(200);
      expect(TranscribeResponse.decode(proto.body).transcript).not.toBe('');
      const bad = await h2Post(session, classify.restPath, Buffer.from('{"text":'), {
        'content-type': 'application/json',
      });
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body.toString()).code).toBe('INVALID_ARGUMENT');
    } finally {
      session.close();
    }
  });
});
