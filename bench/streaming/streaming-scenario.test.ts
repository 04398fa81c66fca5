import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServers, type TestServers } from '../../test/support/test-servers.js';
import { balanceProblems } from '../accounting/request-counts.js';
import { loadManifest } from '../corpus/manifest.js';
import { clipAudio, linear16Config } from './clip-audio.js';
import { runStreamingScenario } from './run-streaming-scenario.js';
import type { StreamingScenarioResult } from './streaming-result.js';

const clip = loadManifest().clips.find((c) => c.kind === 'short3s')!;
const audio = clipAudio(clip);
const chunkMs = 100;

function expectBalanced(result: StreamingScenarioResult): void {
  expect(result.problems).toEqual([]);
  expect(balanceProblems(result.streams)).toEqual([]);
  expect(balanceProblems(result.chunks)).toEqual([]);
  expect(result.responses.received).toBe(result.responses.partials + result.responses.finals);
  for (const stream of result.perStream) {
    expect(balanceProblems(stream.chunks)).toEqual([]);
    expect(stream.chunks.sent).toBe(result.chunksPerStream);
    expect(stream.responses.received).toBe(stream.responses.partials + stream.responses.finals);
  }
}

describe('streaming scenario against real servers (reference engine)', () => {
  let servers: TestServers;
  const portOf = (protocol: 'grpc' | 'rest') => (protocol === 'grpc' ? servers.grpcPort : servers.restPort);
  beforeAll(async () => {
    servers = await startTestServers();
  });
  afterAll(async () => servers?.close());

  describe.each(['grpc', 'rest'] as const)('%s', (protocol) => {
    const results: Partial<Record<'realtime' | 'asap', StreamingScenarioResult>> = {};

    it.each(['realtime', 'asap'] as const)(
      '%s pace: one stream is ok, with a time to first partial, and balances',
      async (pace) => {
        const result = await runStreamingScenario({
          protocol,
          host: '127.0.0.1',
          port: portOf(protocol),
          audio,
          chunkMs,
          pace,
        });
        results[pace] = result;
        expectBalanced(result);
        expect(result.streams).toMatchObject({ sent: 1, ok: 1 });
        expect(result.chunks.ok).toBe(result.chunksPerStream);
        const [stream] = result.perStream;
        expect(stream!.finalTranscript).toBe(clip.text);
        expect(stream!.responses.finals).toBe(1);
        expect(stream!.responses.partials).toBeGreaterThan(0);
        expect(stream!.timeToFirstPartialMs).toBeGreaterThan(0);
        expect(stream!.timeToFirstPartialMs!).toBeLessThan(stream!.totalMs);
        expect(result.timeToFirstPartial.count).toBe(1);
        expect(result.timeToFirstPartial.latencyUs!.p50).toBeGreaterThan(0);
        expect(result.messageLatency.count).toBe(result.responses.received);
        // Raw PCM plus framing went up; results came down.
        expect(result.bytes.sent).toBeGreaterThan(audio.pcm.length);
        expect(result.bytes.received).toBeGreaterThan(0);
        expect(stream!.messagesPerSecond.sent).toBeGreaterThan(0);
        expect(stream!.messagesPerSecond.received).toBeGreaterThan(0);
      },
      30_000,
    );

    it('real-time pace lasts at least the audio; as fast as possible is quicker', () => {
      const realtime = results.realtime!.perStream[0]!;
      const asap = results.asap!.perStream[0]!;
      // Chunk i goes out i × chunkMs after the first, so the last after (n - 1) × chunkMs.
      expect(realtime.totalMs).toBeGreaterThanOrEqual((results.realtime!.chunksPerStream - 1) * chunkMs);
      expect(asap.totalMs).toBeLessThan(realtime.totalMs);
    });

    it('runs several streams two at a time, each accounted', async () => {
      const result = await runStreamingScenario({
        protocol,
        host: '127.0.0.1',
        port: portOf(protocol),
        audio,
        pace: 'asap',
        streams: 4,
        concurrency: 2,
      });
      expectBalanced(result);
      expect(result.streams).toMatchObject({ sent: 4, ok: 4 });
      expect(result.chunks).toMatchObject({
        sent: 4 * result.chunksPerStream,
        ok: 4 * result.chunksPerStream,
      });
      expect(result.timeToFirstPartial.count).toBe(4);
      expect(result.perStream.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    }, 30_000);

    it('a rejected config counts failed streams with INVALID_ARGUMENT, and no hang', async () => {
      const result = await runStreamingScenario({
        protocol,
        host: '127.0.0.1',
        port: portOf(protocol),
        audio,
        config: { ...linear16Config(audio.sampleRateHertz), languageCode: 'fr-FR' },
        pace: 'realtime',
        streams: 2,
      });
      expectBalanced(result);
      expect(result.streams).toMatchObject({
        sent: 2,
        ok: 0,
        failed: 2,
        failedByCode: { INVALID_ARGUMENT: 2 },
      });
      expect(result.chunks.ok).toBe(0);
      // Chunks handed over before the rejection failed with the stream; the rest never went.
      expect(result.chunks.failed + result.chunks.notSent).toBe(result.chunks.sent);
      expect(result.chunks.notSent).toBeGreaterThan(0);
      expect(result.timeToFirstPartial.latencyUs).toBeNull();
    }, 30_000);

    it('a stream past its timeout is cancelled and counted timedOut', async () => {
      const result = await runStreamingScenario({
        protocol,
        host: '127.0.0.1',
        port: portOf(protocol),
        audio,
        pace: 'realtime',
        timeoutMs: 350,
      });
      expectBalanced(result);
      expect(result.streams).toMatchObject({ sent: 1, ok: 0, timedOut: 1 });
      expect(result.chunks.timedOut).toBeGreaterThan(0);
      expect(result.chunks.notSent).toBeGreaterThan(0);
      expect(result.perStream[0]!.totalMs).toBeLessThan(result.audioSeconds * 1000);
    }, 30_000);

    it('an abort cancels the stream in flight and leaves the rest not sent', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 400);
      const result = await runStreamingScenario({
        protocol,
        host: '127.0.0.1',
        port: portOf(protocol),
        audio,
        pace: 'realtime',
        streams: 3,
        signal: controller.signal,
      });
      expectBalanced(result);
      expect(result.streams).toMatchObject({ sent: 3, cancelled: 1, notSent: 2 });
      expect(result.chunks.cancelled).toBeGreaterThan(0);
    }, 30_000);
  });

  it('a server that is not there fails the stream with UNAVAILABLE', async () => {
    const result = await runStreamingScenario({
      protocol: 'rest',
      host: '127.0.0.1',
      port: 1,
      audio,
      pace: 'asap',
      warmUpTimeoutMs: 2000,
    });
    expectBalanced(result);
    expect(result.streams).toMatchObject({ sent: 1, failed: 1, failedByCode: { UNAVAILABLE: 1 } });
    expect(result.chunks.notSent).toBe(result.chunks.sent);
  }, 30_000);
});
