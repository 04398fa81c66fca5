import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClipAudio } from '../bench/corpus/manifest.js';
import { comparable, outcomeOf } from './support/outcome.js';
import {
  casesFor,
  chunksOf,
  classifyDefaults,
  collect,
  finalOf,
  long,
  wav,
  withoutTimings,
} from './support/parity-cases.js';
import { startTestServers, type TestServers } from './support/test-servers.js';

describe('gRPC and REST give the same answers to the same requests', () => {
  let servers: TestServers;
  beforeAll(async () => {
    servers = await startTestServers();
  });
  afterAll(async () => servers?.close());

  // Streams compare only their final result: partials depend on where TCP cut the HTTP body.
  it.each(casesFor('grpc-vs-rest').map((c) => [c.name, c] as const))(
    '%s',
    async (_name, { run, expected }) => {
      const grpc = withoutTimings(await outcomeOf(() => run(servers.grpc, finalOf)));
      const rest = withoutTimings(await outcomeOf(() => run(servers.rest, finalOf)));
      // Each protocol words its errors its own way; the codes must agree.
      expect(comparable(rest)).toEqual(comparable(grpc));
      expect(grpc.ok ? 'OK' : grpc.code).toBe(expected);
      if (!grpc.ok) expect(grpc.message.length).toBeGreaterThan(10);
      // A server that refused a request still serves the next one.
      const next = await servers.grpc.classify({ text: 'hi', candidateLabels: ['a'], ...classifyDefaults });
      expect(next.labels).toEqual(['a']);
    },
  );

  it('streams partial results before the final one, and the final transcript matches the corpus', async () => {
    for (const client of [servers.grpc, servers.rest]) {
      const messages = await collect(client.streamingTranscribe(wav, chunksOf(readClipAudio(long), 3200)));
      const final = messages.at(-1)!;
      expect(final.isFinal).toBe(true);
      expect(final.transcript).toBe(long.text);
      expect(messages.filter((m) => !m.isFinal).length).toBeGreaterThan(5);
      expect(final.audioDuration).toBeCloseTo(long.durationSeconds, 2);
    }
  });
});
