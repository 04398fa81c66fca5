/**
 * The page in headless Chromium as a client: the same classify answers as gRPC through
 * each browser-reachable variant, and errors (bad request, no key, deadline) surfacing
 * in the page with the codes the other clients report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession } from '../../bench/browser/browser-session.js';
import { chromiumMissing } from '../../bench/browser/chromium.js';
import { pageCallOf } from '../../bench/browser/page-call.js';
import { buildRequestPayload } from '../../bench/drivers/request-payloads.js';
import type { Variant } from '../../bench/scenarios/suite.js';
import { GrpcSpeechClient } from '../../clients/grpc-speech-client.js';
import { ClassifyRequest } from '../../proto/gen/speech/v1/speech.js';
import { apiKey, grpcCodeOf, host, startWebTestServers, type WebTestServers } from './web-servers.js';

const missing = chromiumMissing();
if (missing) console.warn(`browser tests SKIPPED: ${missing}`);

const variants: readonly Variant[] = ['rest-json-h1', 'connect-json-h1', 'connect-proto-h1', 'grpc-web-h1'];
const text = 'turn on the kitchen lights';
const labels = ['lights', 'music', 'weather', 'alarm'];

function payloadFor(message: { text: string; candidateLabels: string[] }) {
  return buildRequestPayload({ rpc: 'classify', text: message.text });
}

describe.skipIf(missing !== undefined)('the page in headless Chromium', () => {
  let servers: WebTestServers;
  let keyed: WebTestServers;
  let session: BrowserSession;
  const portOf = (s: WebTestServers, variant: Variant) =>
    variant.startsWith('rest') ? s.restPort : s.webPort;
  const origin = (port: number) => `http://${host}:${port}`;

  beforeAll(async () => {
    servers = await startWebTestServers();
    keyed = await startWebTestServers({ keyed: true, injectedDelayMs: 300 });
    session = await BrowserSession.launch(
      [servers, keyed].flatMap((s) => [origin(s.restPort), origin(s.webPort)]),
    );
  });
  afterAll(async () => {
    await session?.close();
    await Promise.all([servers?.close(), keyed?.close()]);
  });

  it.each(variants)('%s: the same labels and scores as gRPC', async (variant) => {
    const payload = payloadFor({ text, candidateLabels: labels });
    const grpc = new GrpcSpeechClient({ host, port: servers.grpcPort });
    const expected = await grpc.classify(payload.message as ClassifyRequest);
    grpc.close();
    const call = pageCallOf(variant, payload, {
      baseUrl: origin(portOf(servers, variant)),
      timeoutMs: 5_000,
    });
    const outcome = await session.callOnce(call);
    expect(outcome.code).toBe('OK');
    const answer = JSON.parse(outcome.answerJson!) as { labels: string[]; scores: number[] };
    expect(answer.labels).toEqual(expected.labels);
    expect(answer.scores).toEqual(expected.scores);
  });

  it.each(variants)('%s: no key, a bad request and a deadline give gRPC’s codes', async (variant) => {
    const good = payloadFor({ text, candidateLabels: labels });
    // A classify request with no candidate labels: INVALID_ARGUMENT from every server.
    const badMessage = ClassifyRequest.fromPartial({ text, candidateLabels: [] });
    const bad = {
      ...good,
      message: badMessage,
      protobuf: Buffer.from(ClassifyRequest.encode(badMessage).finish()),
      jsonBody: Buffer.from(JSON.stringify(ClassifyRequest.toJSON(badMessage))),
    };
    const baseUrl = origin(portOf(keyed, variant));
    const page = (payload: typeof good, options: { key?: string; timeoutMs?: number }) =>
      session.callOnce(
        pageCallOf(variant, payload, {
          baseUrl,
          timeoutMs: options.timeoutMs ?? 5_000,
          ...(options.key ? { apiKey: options.key } : {}),
        }),
      );
    const unauthenticated = await page(good, {});
    expect(unauthenticated.code).toBe(
      await grpcCodeOf(keyed.grpcPort, (c) => c.classify(good.message as ClassifyRequest)),
    );
    expect(unauthenticated.code).toBe('UNAUTHENTICATED');
    const invalid = await page(bad, { key: apiKey });
    expect(invalid.code).toBe(await grpcCodeOf(keyed.grpcPort, (c) => c.classify(badMessage), apiKey));
    expect(invalid.code).toBe('INVALID_ARGUMENT');
    // The servers take 300 ms a call; the deadline is 50 ms.
    const late = await page(good, { key: apiKey, timeoutMs: 50 });
    expect(late.code).toBe(
      await grpcCodeOf(
        keyed.grpcPort,
        (c) => c.classify(good.message as ClassifyRequest, { deadlineMs: 50 }),
        apiKey,
      ),
    );
    expect(late.code).toBe('DEADLINE_EXCEEDED');
    expect((await page(good, { key: apiKey })).code).toBe('OK');
  });
});
