import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClipAudio } from '../../bench/corpus/manifest.js';
import { ClassifyRequest, TranscribeRequest } from '../../proto/gen/speech/v1/speech.js';
import { defaultLimits } from '../../servers/core/limits.js';
import { malformedProtobufs } from '../support/malformed-protobufs.js';
import { comparable, outcomeOf } from '../support/outcome.js';
import {
  casesFor,
  chunksOf,
  classifyDefaults,
  collect,
  long,
  wav,
  withoutTimings,
} from '../support/parity-cases.js';
import { grpcRawStatus, type RawStatus } from '../support/raw-calls.js';
import { type GrpcAndConnectServers, startGrpcAndConnectServers } from './grpc-and-connect-servers.js';

describe('grpc-js and connect serve the same gRPC answers', () => {
  let servers: GrpcAndConnectServers;
  beforeAll(async () => {
    servers = await startGrpcAndConnectServers();
  });
  afterAll(async () => servers?.close());

  async function stillServes(): Promise<void> {
    const next = await servers.connect.classify({ text: 'hi', candidateLabels: ['a'], ...classifyDefaults });
    expect(next.labels).toEqual(['a']);
  }

  /** The same raw bytes to both servers at once: the statuses grpc-js sees from each. */
  function rawToBoth(path: string, body: Buffer): Promise<[grpcJs: RawStatus, connect: RawStatus]> {
    return Promise.all([
      grpcRawStatus(servers.grpcJsPort, path, body),
      grpcRawStatus(servers.connectPort, path, body),
    ]);
  }

  // Both servers get the same chunks from the same client, so streams compare every message.
  const cases = casesFor('grpc-js-vs-connect').map((c) => [c.name, c] as const);
  it.each(cases)('%s', async (_name, { run, expected, refusedByTheTransport }) => {
    const byTransport = refusedByTheTransport !== undefined;
    const grpcJs = withoutTimings(await outcomeOf(() => run(servers.grpcJs, collect)));
    const connect = withoutTimings(await outcomeOf(() => run(servers.connect, collect)));
    // The grpc-js client reads code and message from connect's trailers as from grpc-js's.
    expect(byTransport ? comparable(connect) : connect).toEqual(byTransport ? comparable(grpcJs) : grpcJs);
    expect(grpcJs.ok ? 'OK' : grpcJs.code).toBe(expected);
    if (!grpcJs.ok) expect(grpcJs.message.length).toBeGreaterThan(10);
    await stillServes();
  });

  it('stream: the final transcript matches the corpus, after partial results', async () => {
    const messages = await collect(
      servers.connect.streamingTranscribe(wav, chunksOf(readClipAudio(long), 3200)),
    );
    expect(messages.at(-1)).toMatchObject({ isFinal: true, transcript: long.text });
    expect(messages.filter((m) => !m.isFinal).length).toBeGreaterThan(5);
  });

  it('stream: a client that stops reading early cancels the call, and the server serves on', async () => {
    for await (const message of servers.connect.streamingTranscribe(
      wav,
      chunksOf(readClipAudio(long), 3200),
    )) {
      expect(message.isFinal).toBe(false);
      break;
    }
    await stillServes();
  });

  it.each(malformedProtobufs)(
    'malformed protobuf (%s) is INVALID_ARGUMENT from both',
    async (_name, bytes) => {
      for (const method of ['Classify', 'Transcribe', 'TranscribeAndClassify']) {
        const path = `/speech.v1.SpeechService/${method}`;
        const [grpcJs, connect] = await rawToBoth(path, bytes);
        expect(grpcJs.code).toBe('INVALID_ARGUMENT');
        expect(connect.code).toBe('INVALID_ARGUMENT');
        // The decoder's own words differ between the two libraries; the sentence around them does not.
        expect(connect.details).toMatch(/^request is not a valid protobuf message: \S/);
        expect(grpcJs.details).toMatch(/^request is not a valid protobuf message: \S/);
      }
      await stillServes();
    },
  );

  it('a malformed message inside a stream is INVALID_ARGUMENT from both', async () => {
    // One gRPC frame (flag, length, bytes) per message; the raw unary helper frames one.
    const path = '/speech.v1.SpeechService/StreamingTranscribe';
    const bytes = Buffer.from([0x0a, 0xff, 0xff, 0xff]);
    const [grpcJs, connect] = await rawToBoth(path, bytes);
    expect(connect.code).toBe('INVALID_ARGUMENT');
    expect(connect.code).toBe(grpcJs.code);
    expect(connect.details).toMatch(/^request is not a valid protobuf message: \S/);
  });

  it('a message over the transport limit is RESOURCE_EXHAUSTED from both', async () => {
    const huge = Buffer.from(
      TranscribeRequest.encode({
        audio: Buffer.alloc(defaultLimits.maxAudioBytes * 2),
        config: undefined,
      }).finish(),
    );
    const path = '/speech.v1.SpeechService/Transcribe';
    const [grpcJs, connect] = await rawToBoth(path, huge);
    expect(grpcJs.code).toBe('RESOURCE_EXHAUSTED');
    expect(connect.code).toBe('RESOURCE_EXHAUSTED');
    await stillServes();
  });

  it('an unknown method is UNIMPLEMENTED from both', async () => {
    const body = Buffer.from(
      ClassifyRequest.encode({ text: 'hi', candidateLabels: ['a'], ...classifyDefaults }).finish(),
    );
    const path = '/speech.v1.SpeechService/Nope';
    const [grpcJs, connect] = await rawToBoth(path, body);
    expect(grpcJs.code).toBe('UNIMPLEMENTED');
    expect(connect.code).toBe('UNIMPLEMENTED');
  });
});
