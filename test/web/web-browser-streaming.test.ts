/**
 * Streaming from a browser: what a page can and cannot do with StreamingTranscribe (a
 * bidirectional RPC). connect-web refuses it (fetch cannot stream a request body over
 * HTTP/1.1, so neither client nor bidirectional streaming exists in a page), and a page
 * that sends every message in one body by hand (half-duplex) is refused by connect-node,
 * which serves bidirectional calls over HTTP/2 only. Prints what the page saw.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession } from '../../bench/browser/browser-session.js';
import { chromiumMissing } from '../../bench/browser/chromium.js';
import { loadManifest } from '../../bench/corpus/manifest.js';
import { planChunks } from '../../bench/streaming/audio-chunks.js';
import { clipAudio, linear16Config } from '../../bench/streaming/clip-audio.js';
import { GrpcSpeechClient } from '../../clients/grpc-speech-client.js';
import { StreamingTranscribeRequest } from '../../proto/gen/speech/v1/speech.js';
import { host, startWebTestServers, type WebTestServers } from './web-servers.js';

const missing = chromiumMissing();
const clip = loadManifest().clips.find((c) => c.kind === 'short3s')!;
const audio = clipAudio(clip);
const plan = planChunks(audio, 100);
const config = linear16Config(audio.sampleRateHertz);
const messagesBase64 = [
  StreamingTranscribeRequest.encode({ request: { $case: 'config', config } }).finish(),
  ...plan.chunks.map((chunk) =>
    StreamingTranscribeRequest.encode({
      request: { $case: 'audioChunk', audioChunk: Buffer.from(chunk) },
    }).finish(),
  ),
].map((bytes) => Buffer.from(bytes).toString('base64'));

describe.skipIf(missing !== undefined)('streaming from a page in headless Chromium', () => {
  let servers: WebTestServers;
  let session: BrowserSession;
  const webUrl = () => `http://${host}:${servers.webPort}`;

  beforeAll(async () => {
    servers = await startWebTestServers();
    session = await BrowserSession.launch([webUrl()]);
  });
  afterAll(async () => {
    await session?.close();
    await servers?.close();
  });

  it.each(['connect-proto', 'grpc-web'] as const)(
    '%s: connect-web refuses the bidirectional call before sending anything',
    async (protocol) => {
      const outcome = await session.bidiThroughConnectWeb({
        protocol,
        baseUrl: webUrl(),
        rpc: 'classify',
        messageBase64: messagesBase64[0]!,
        timeoutMs: 5_000,
      });
      expect(outcome.code).not.toBe('OK');
      expect(outcome.message).toMatch(/streaming request bodies/);
      console.log(`${protocol} via connect-web: ${outcome.code} "${outcome.message}"`);
    },
  );

  // connect-node serves bidirectional streams over HTTP/2 only: over HTTP/1.1 it answers
  // 505 HTTP Version Not Supported, even to a body that holds every message.
  it.each(['connect-proto', 'grpc-web'] as const)(
    '%s half-duplex (every message in one fetch body): the server refuses it over HTTP/1.1',
    async (protocol) => {
      const result = await session.streamHalfDuplex({
        protocol,
        baseUrl: webUrl(),
        messagesBase64,
        timeoutMs: 10_000,
      });
      expect(result.httpStatus).toBe(505);
      expect(result.messages).toBe(0);
      console.log(
        `${protocol} half-duplex from the page, ${plan.audioSeconds} s clip in ${plan.chunks.length} chunks: HTTP ${result.httpStatus} after ${result.endMs.toFixed(1)} ms, no message`,
      );
    },
  );

  it('the same stream from grpc-js over HTTP/2 gives the clip’s text (the call itself is sound)', async () => {
    const grpc = new GrpcSpeechClient({ host, port: servers.grpcPort });
    let final = '';
    async function* chunks() {
      yield* plan.chunks;
    }
    for await (const response of grpc.streamingTranscribe(config, chunks())) final = response.transcript;
    grpc.close();
    expect(final).toBe(clip.text);
  });
});
