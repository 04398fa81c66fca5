import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { promisify } from 'node:util';
import { create } from '@bufbuild/protobuf';
import { type Client, ConnectError, createClient, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectExchange, grpcWebExchange, readGrpcWebBody } from '../../bench/drivers/h1-exchanges.js';
import { buildRequestPayload } from '../../bench/drivers/request-payloads.js';
import type { RestRequest } from '../../bench/drivers/rest-request.js';
import { GrpcSpeechClient } from '../../clients/grpc-speech-client.js';
import { RestSpeechClient } from '../../clients/rest-speech-client.js';
import { ClassifyResponse } from '../../proto/gen/speech/v1/speech.js';
import { ClassifyRequestSchema, SpeechService } from '../../proto/gen-es/speech/v1/speech_pb.js';
import { codeNameOf } from '../../servers/core/status-codes.js';
import { apiKey, grpcCodeOf, host, startWebTestServers, type WebTestServers } from './web-servers.js';

const text = 'turn on the kitchen lights';
const candidateLabels = ['lights', 'music', 'weather', 'alarm'];
const request = { text, candidateLabels, multiLabel: false, hypothesisTemplate: '' };

interface Answer {
  readonly labels: readonly string[];
  readonly scores: readonly number[];
}

function post(port: number, sent: RestRequest): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const call = httpRequest(
      { host, port, method: 'POST', path: sent.path, headers: Object.fromEntries(sent.headers) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    call.on('error', reject);
    call.end(sent.body);
  });
}

const transports: Record<string, (baseUrl: string) => Transport> = {
  'connect-json-h1': (baseUrl) => createConnectTransport({ baseUrl, httpVersion: '1.1' }),
  'connect-proto-h1': (baseUrl) =>
    createConnectTransport({ baseUrl, httpVersion: '1.1', useBinaryFormat: true }),
  'grpc-web-h1': (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: '1.1' }),
};

function connectClient(variant: string, port: number): Client<typeof SpeechService> {
  return createClient(SpeechService, transports[variant]!(`http://${host}:${port}`));
}

function answerOf(response: { labels: readonly string[]; scores: readonly number[] }): Answer {
  return { labels: [...response.labels], scores: [...response.scores] };
}

describe('the browser-reachable variants answer classify as gRPC does', () => {
  let servers: WebTestServers;
  let expected: Answer;
  beforeAll(async () => {
    servers = await startWebTestServers();
    const grpc = new GrpcSpeechClient({ host, port: servers.grpcPort });
    expected = answerOf(await grpc.classify(request));
    grpc.close();
  });
  afterAll(async () => servers?.close());

  it('has a meaningful reference answer', () => {
    expect(expected.labels[0]).toBe('lights');
    expect(expected.scores[0]).toBeGreaterThan(0.5);
  });

  it.each(Object.keys(transports))('%s through connect-node’s client', async (variant) => {
    const answer = await connectClient(variant, servers.webPort).classify(
      create(ClassifyRequestSchema, request),
    );
    expect(answerOf(answer)).toEqual(expected);
  });

  it('REST JSON through our REST client (the page’s fetch peer)', async () => {
    const rest = new RestSpeechClient({ host, port: servers.restPort });
    expect(answerOf(await rest.classify(request))).toEqual(expected);
    rest.close();
  });

  // The transport drivers' exact request bytes: what the benchmark sends is what is right.
  const payload = buildRequestPayload({ rpc: 'classify', text });
  it.each([
    [
      'connect-json-h1',
      connectExchange(payload, 'json'),
      (body: Buffer) => ClassifyResponse.fromJSON(JSON.parse(body.toString())),
    ],
    ['connect-proto-h1', connectExchange(payload, 'proto'), (body: Buffer) => ClassifyResponse.decode(body)],
    [
      'grpc-web-h1',
      grpcWebExchange(payload),
      (body: Buffer) => ClassifyResponse.decode(readGrpcWebBody(body).message!),
    ],
  ] as const)('%s with the transport driver’s bytes', async (_variant, exchange, decode) => {
    const grpc = new GrpcSpeechClient({ host, port: servers.grpcPort });
    const reference = answerOf(await grpc.classify(payload.message as typeof request));
    grpc.close();
    const { status, body } = await post(servers.webPort, exchange.request);
    expect(status).toBe(200);
    expect(answerOf(decode(body))).toEqual(reference);
  });

  // Asynchronously: the server answers from this same process.
  it('connect-json-h1 through curl', async () => {
    const { stdout } = await promisify(execFile)(
      'curl',
      [
        '-sS',
        '-X',
        'POST',
        `http://${host}:${servers.webPort}/speech.v1.SpeechService/Classify`,
        '-H',
        'content-type: application/json',
        '--data-binary',
        JSON.stringify({ text, candidateLabels }),
      ],
      { encoding: 'utf8', timeout: 10_000 },
    );
    expect(answerOf(JSON.parse(stdout) as Answer)).toEqual(expected);
  });
});

describe('errors from the browser-reachable variants carry the codes gRPC gives', () => {
  let servers: WebTestServers;
  beforeAll(async () => {
    servers = await startWebTestServers({ keyed: true, injectedDelayMs: 300 });
  });
  afterAll(async () => servers?.close());

  const grpcCode = (call: (client: GrpcSpeechClient) => Promise<unknown>, key?: string) =>
    grpcCodeOf(servers.grpcPort, call, key);

  async function webCode(
    variant: string,
    body: typeof request,
    options: { key?: string; timeoutMs?: number },
  ) {
    const headers: Record<string, string> = options.key ? { authorization: `Bearer ${options.key}` } : {};
    try {
      await connectClient(variant, servers.webPort).classify(create(ClassifyRequestSchema, body), {
        headers,
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      });
      return 'OK';
    } catch (error) {
      return codeNameOf(ConnectError.from(error).code);
    }
  }

  const bad = { ...request, text: '', candidateLabels: [] };
  it.each(Object.keys(transports))('%s: unauthenticated, bad request, deadline', async (variant) => {
    expect(await webCode(variant, request, {})).toBe(await grpcCode((c) => c.classify(request)));
    expect(await webCode(variant, request, {})).toBe('UNAUTHENTICATED');
    expect(await webCode(variant, bad, { key: apiKey })).toBe(await grpcCode((c) => c.classify(bad), apiKey));
    expect(await webCode(variant, bad, { key: apiKey })).toBe('INVALID_ARGUMENT');
    expect(await webCode(variant, request, { key: apiKey, timeoutMs: 50 })).toBe(
      await grpcCode((c) => c.classify(request, { deadlineMs: 50 }), apiKey),
    );
    expect(await webCode(variant, request, { key: apiKey, timeoutMs: 50 })).toBe('DEADLINE_EXCEEDED');
    // The usage ledger read each answer as the client did, and counted its message bytes (once
    // the calls past their deadline have ended on the server too: it takes 300 ms a call).
    await new Promise((resolve) => setTimeout(resolve, 700));
    const before = servers.gate.ledger.report().keys.find((k) => k.keyId === 'web')!;
    expect(await webCode(variant, request, { key: apiKey })).toBe('OK');
    const after = servers.gate.ledger.report().keys.find((k) => k.keyId === 'web')!;
    expect(after.ok - before.ok).toBe(1);
    expect(after.failed - before.failed).toBe(0);
    expect(after.bytesIn - before.bytesIn).toBeGreaterThan(40);
    expect(after.bytesOut - before.bytesOut).toBeGreaterThan(40);
  });
});
