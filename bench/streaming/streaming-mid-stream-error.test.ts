import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLimits } from '../../servers/core/limits.js';
import { startTestServers, type TestServers } from '../../test/support/test-servers.js';
import { balanceProblems } from '../accounting/request-counts.js';
import { loadManifest } from '../corpus/manifest.js';
import { clipAudio } from './clip-audio.js';
import { runStreamingScenario } from './run-streaming-scenario.js';

const clip = loadManifest().clips.find((c) => c.kind === 'short3s')!;
const audio = clipAudio(clip);

// A 1.2 s limit: the first partial (at 0.5 s) is out, then the audio runs over the limit.
describe('a stream the server fails after its first results', () => {
  let servers: TestServers;
  beforeAll(async () => {
    servers = await startTestServers({ limits: { ...defaultLimits, maxAudioSeconds: 1.2 } });
  });
  afterAll(async () => servers?.close());

  it.each(['grpc', 'rest'] as const)(
    '%s: counts the stream and its chunks failed with RESOURCE_EXHAUSTED, partials kept',
    async (protocol) => {
      const result = await runStreamingScenario({
        protocol,
        host: '127.0.0.1',
        port: protocol === 'grpc' ? servers.grpcPort : servers.restPort,
        audio,
        pace: 'realtime',
      });
      expect(result.problems).toEqual([]);
      expect(result.streams).toMatchObject({ sent: 1, failed: 1, failedByCode: { RESOURCE_EXHAUSTED: 1 } });
      expect(balanceProblems(result.chunks)).toEqual([]);
      expect(result.chunks.ok).toBe(0);
      expect(result.chunks.failedByCode.RESOURCE_EXHAUSTED).toBe(result.chunks.failed);
      expect(result.chunks.failed).toBeGreaterThan(0);
      expect(result.responses).toMatchObject({ finals: 0 });
      expect(result.responses.partials).toBeGreaterThan(0);
      expect(result.timeToFirstPartial.count).toBe(1);
    },
    30_000,
  );
});
