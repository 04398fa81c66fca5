/**
 * A REST stream the server refused before the client finished sending must not leave
 * its connection in the keep-alive pool: the next stream on that socket would stall.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLimits } from '../../servers/core/limits.js';
import { outcomeOf } from '../support/outcome.js';
import { chunksOf, collect, wav } from '../support/parity-cases.js';
import { startTestServers, type TestServers } from '../support/test-servers.js';
import { tone, wavBytes } from '../support/wav-bytes.js';

let servers: TestServers;
beforeAll(async () => {
  servers = await startTestServers();
});
afterAll(async () => servers?.close());

describe('REST streaming after a refused stream', () => {
  it('the next stream on the same client is answered, not stalled', async () => {
    const refused = await outcomeOf(() =>
      collect(
        servers.rest.streamingTranscribe(wav, chunksOf(Buffer.alloc(defaultLimits.maxAudioBytes * 2), 8e6)),
      ),
    );
    expect(refused.ok).toBe(false);
    const started = Date.now();
    const next = await outcomeOf(() =>
      collect(
        servers.rest.streamingTranscribe(wav, chunksOf(wavBytes(tone(61)), 64 * 1024), { deadlineMs: 8_000 }),
      ),
    );
    expect(next.ok ? 'OK' : next.code).toBe('RESOURCE_EXHAUSTED');
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 30_000);
});
