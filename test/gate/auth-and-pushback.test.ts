/**
 * Auth, pushback, load shedding and the usage answer on every server, through the
 * project's own clients and plain HTTP: the same code on both protocols.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceClips } from '../../bench/corpus/reference-clips.js';
import { GrpcSpeechClient } from '../../clients/grpc-speech-client.js';
import type { RetryNotice } from '../../clients/pushback-retry.js';
import { RestSpeechClient } from '../../clients/rest-speech-client.js';
import type { ClientPolicyOptions } from '../../clients/speech-client.js';
import type { ClassifyRequest } from '../../proto/gen/speech/v1/speech.js';
import { defaultLimits } from '../../servers/core/limits.js';
import { PushbackError } from '../../servers/core/pushback.js';
import type { RequestGateOptions } from '../../servers/core/request-gate.js';
import type { ServerProtocol } from '../../servers/server-protocols.js';
import { createSpeechRuntime, type SpeechRuntime } from '../../servers/speech-runtime.js';
import { aliceKey, bobKey, host, referenceRuntime, startGated, testKeys } from './gated-servers.js';

const request: ClassifyRequest = {
  text: 'play some jazz',
  candidateLabels: ['music', 'weather'],
  multiLabel: false,
  hypothesisTemplate: '',
};

type AnyClient = GrpcSpeechClient | RestSpeechClient;

/** The answer, or the error the call was rejected with. */
function outcome<T>(call: Promise<T>): Promise<T | unknown> {
  return call.catch((error: unknown) => error);
}

const threeSeconds = readFileSync(new URL('../../bench/corpus/audio/short3s-001-slt.wav', import.meta.url));

function clientFor(protocol: ServerProtocol, port: number, policy: ClientPolicyOptions): AnyClient {
  return protocol === 'grpc' || protocol === 'connect'
    ? new GrpcSpeechClient({ host, port, ...policy })
    : new RestSpeechClient({ host, port, connections: 2, ...policy });
}

/** The servers the project's clients speak to: grpc-js, connect-node and Fastify over HTTP/1.1. */
const protocols: readonly ServerProtocol[] = ['grpc', 'connect', 'rest'];

let runtime: SpeechRuntime;

beforeAll(async () => {
  runtime = await referenceRuntime();
});

afterAll(async () => {
  await runtime.close();
});

async function withServer<T>(
  protocol: ServerProtocol,
  options: RequestGateOptions,
  body: (port: number) => Promise<T>,
  speech: SpeechRuntime = runtime,
): Promise<T> {
  const server = await startGated(speech, protocol, options);
  try {
    return await body(server.port);
  } finally {
    await server.close();
  }
}

describe('API keys', () => {
  for (const protocol of protocols) {
    it(`missing or wrong → UNAUTHENTICATED, a valid key → OK, the caller's id in the ledger: ${protocol}`, async () => {
      await withServer(protocol, { apiKeys: testKeys() }, async (port) => {
        const clients = {
          none: clientFor(protocol, port, {}),
          wrong: clientFor(protocol, port, { apiKey: 'sk-wrong-000000000' }),
          // Same length as a real key, one character off: still refused.
          close: clientFor(protocol, port, { apiKey: `${aliceKey.slice(0, -1)}X` }),
          alice: clientFor(protocol, port, { apiKey: aliceKey }),
          bob: clientFor(protocol, port, { apiKey: bobKey }),
        };
        try {
          expect(await outcome(clients.none.classify(request))).toMatchObject({ code: 'UNAUTHENTICATED' });
          expect(await outcome(clients.wrong.classify(request))).toMatchObject({ code: 'UNAUTHENTICATED' });
          expect(await outcome(clients.close.classify(request))).toMatchObject({ code: 'UNAUTHENTICATED' });
          expect((await clients.alice.classify(request)).labels[0]).toBe('music');
          expect((await clients.bob.classify(request)).labels[0]).toBe('music');
          expect(await outcome(clients.none.usage())).toMatchObject({ code: 'UNAUTHENTICATED' });
          const usage = await clients.alice.usage();
          const byId = Object.fromEntries(usage.keys.map((key) => [key.keyId, key]));
          expect(byId.alice).toMatchObject({ requests: 1, ok: 1 });
          expect(byId.bob).toMatchObject({ requests: 1, ok: 1 });
          expect(byId['(unauthenticated)']?.rejectedByCode).toEqual({ UNAUTHENTICATED: 4 });
          expect(JSON.stringify(usage)).not.toContain(aliceKey);
        } finally {
          for (const client of Object.values(clients)) client.close();
        }
      });
    });
  }

  it('REST: 401 with x-api-key or a wrong scheme, 200 with Bearer; /healthz needs no key', async () => {
    await withServer('rest', { apiKeys: testKeys() }, async (port) => {
      const base = `http://${host}:${port}`;
      const post = (headers: Record<string, string>) =>
        fetch(`${base}/v1/classify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ text: 'play some jazz', candidateLabels: ['music', 'weather'] }),
        });
      expect((await post({})).status).toBe(401);
      expect((await post({ authorization: `Basic ${aliceKey}` })).status).toBe(401);
      expect((await post({ 'x-api-key': aliceKey })).status).toBe(200);
      expect((await post({ authorization: `Bearer ${aliceKey}` })).status).toBe(200);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    });
  });
});

describe('pushback', () => {
  for (const protocol of protocols) {
    it(`over the rate: RESOURCE_EXHAUSTED with a delay; the client retries within the deadline and reports it: ${protocol}`, async () => {
      await withServer(
        protocol,
        { apiKeys: testKeys(), rateLimits: { requestsPerSecond: 2, burst: 1 } },
        async (port) => {
          const once = clientFor(protocol, port, { apiKey: aliceKey, pushbackAttempts: 1 });
          const patient = clientFor(protocol, port, { apiKey: bobKey });
          try {
            await once.classify(request);
            const refused = await outcome(once.classify(request));
            expect(refused).toBeInstanceOf(PushbackError);
            const { code, retryAfterMs } = refused as PushbackError;
            expect(code).toBe('RESOURCE_EXHAUSTED');
            expect(retryAfterMs).toBeGreaterThan(250);
            expect(retryAfterMs).toBeLessThanOrEqual(500);

            await patient.classify(request);
            const notices: RetryNotice[] = [];
            const started = performance.now();
            const answer = await patient.classify(request, {
              deadlineMs: 5_000,
              onRetry: (notice) => notices.push(notice),
            });
            expect(answer.labels[0]).toBe('music');
            expect(notices).toHaveLength(1);
            expect(notices[0]).toMatchObject({ attempt: 2, maxAttempts: 3 });
            // REST's Retry-After is whole seconds, but the client reads Retry-After-Ms first.
            expect(performance.now() - started).toBeGreaterThanOrEqual(notices[0]!.waitMs - 5);

            // A deadline shorter than the delay: no retry, the refusal itself.
            await outcome(patient.classify(request, { deadlineMs: 5_000 }));
            const hurried: RetryNotice[] = [];
            const early = await outcome(
              patient.classify(request, { deadlineMs: 250, onRetry: (notice) => hurried.push(notice) }),
            );
            expect(early).toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
            expect(hurried).toEqual([]);
          } finally {
            once.close();
            patient.close();
          }
        },
      );
    });
  }

  it('REST: 429 carries Retry-After (seconds) and Retry-After-Ms; gRPC the grpc-retry-pushback-ms trailer', async () => {
    await withServer('rest', { rateLimits: { requestsPerSecond: 0.5, burst: 1 } }, async (port) => {
      const get = () => fetch(`http://${host}:${port}/v1/info`);
      expect((await get()).status).toBe(200);
      const refused = await get();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(Number(refused.headers.get('retry-after-ms'))).toBeGreaterThan(1_500);
    });
  });

  it('audio quota: a key is admitted while its audio balance is positive, then refused until it refills', async () => {
    await withServer('grpc', { rateLimits: { audioSecondsPerMinute: 2 } }, async (port) => {
      const client = new GrpcSpeechClient({ host, port, pushbackAttempts: 1 });
      try {
        const config = { encoding: 2, sampleRateHertz: 0, languageCode: '' };
        const first = await client.transcribe({ audio: threeSeconds, config });
        expect(first.audioDuration).toBeGreaterThan(2);
        const refused = await outcome(client.transcribe({ audio: threeSeconds, config }));
        expect(refused).toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
        // The debt (duration − 2 s) refills at 2/60 s per second.
        expect((refused as PushbackError).retryAfterMs).toBeGreaterThan(
          ((first.audioDuration - 2) * 60 * 1000) / 2 - 1_000,
        );
        const usage = await client.usage();
        expect(usage.keys[0]).toMatchObject({
          keyId: 'anonymous',
          ok: 1,
          rejectedByCode: { RESOURCE_EXHAUSTED: 1 },
        });
        expect(usage.keys[0]!.audioSeconds).toBeCloseTo(first.audioDuration, 6);
      } finally {
        client.close();
      }
    });
  });
});

describe('load shedding', () => {
  for (const protocol of protocols) {
    it(`past --max-in-flight: UNAVAILABLE with a retry delay, not a queue: ${protocol}`, async () => {
      const slow = await createSpeechRuntime(
        { choice: 'reference', realTimeFactor: 0, referenceClips: loadReferenceClips },
        defaultLimits,
        { injectedDelayMs: 300 },
      );
      try {
        await withServer(
          protocol,
          { loadShedding: { maxInFlight: 1, retryAfterMs: 250 } },
          async (port) => {
            const client = clientFor(protocol, port, { pushbackAttempts: 1 });
            try {
              const results = await Promise.all([
                outcome(client.classify(request)),
                (async () => {
                  await new Promise((resolve) => setTimeout(resolve, 100));
                  return outcome(client.classify(request));
                })(),
              ]);
              expect(results[0]).toMatchObject({ labels: ['music', 'weather'] });
              expect(results[1]).toBeInstanceOf(PushbackError);
              expect(results[1]).toMatchObject({ code: 'UNAVAILABLE', retryAfterMs: 250 });
              // Once the first is done, there is room again.
              expect((await client.classify(request)).labels[0]).toBe('music');
            } finally {
              client.close();
            }
          },
          slow,
        );
      } finally {
        await slow.close();
      }
    });
  }
});

describe('streams', () => {
  for (const protocol of protocols) {
    it(`a stream needs a key, and the ledger counts its audio and bytes: ${protocol}`, async () => {
      await withServer(protocol, { apiKeys: testKeys() }, async (port) => {
        const stranger = clientFor(protocol, port, {});
        const alice = clientFor(protocol, port, { apiKey: aliceKey });
        const config = { encoding: 2, sampleRateHertz: 0, languageCode: '' };
        async function* chunks() {
          for (let at = 0; at < threeSeconds.length; at += 16_000)
            yield threeSeconds.subarray(at, at + 16_000);
        }
        try {
          const refused = await outcome(
            (async () => {
              for await (const _ of stranger.streamingTranscribe(config, chunks())) {
                // reading until the refusal
              }
            })(),
          );
          expect(refused).toMatchObject({ code: 'UNAUTHENTICATED' });
          let final = 0;
          for await (const message of alice.streamingTranscribe(config, chunks())) {
            if (message.isFinal) final = message.audioDuration;
          }
          expect(final).toBeGreaterThan(2.9);
          const usage = (await alice.usage()).keys.find((key) => key.keyId === 'alice');
          expect(usage).toMatchObject({ requests: 1, ok: 1 });
          expect(usage!.audioSeconds).toBeCloseTo(final, 6);
          // gRPC counts the messages (audio chunks and the config); REST the body (the audio).
          expect(usage!.bytesIn).toBeGreaterThanOrEqual(threeSeconds.length);
          expect(usage!.bytesIn).toBeLessThan(threeSeconds.length + 200);
          expect(usage!.bytesOut).toBeGreaterThan(0);
        } finally {
          stranger.close();
          alice.close();
        }
      });
    });
  }
});
