import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortsReference, runCli, type ServeProcess, startServe } from '../support/cli-process.js';

describe('grpc-rest-bench serve and call', () => {
  let server: ServeProcess;
  beforeAll(async () => {
    server = await startServe(['--protocol', 'both', ...freePortsReference]);
  });
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  const ports = () => ['--grpc-port', String(server.grpcPort), '--rest-port', String(server.restPort)];

  it('says which engine serves, and why', () => {
    expect(server.stt).toBe('reference');
    expect(server.stderr()).toMatch(/stt engine: reference \(chosen with --stt reference/);
  });

  it('prints identical labels and scores over gRPC and REST', async () => {
    const args = [
      'classify',
      '--text',
      'turn off the kitchen lights',
      '--labels',
      'smart home,music,weather',
      ...ports(),
    ];
    const [grpc, rest] = await Promise.all([
      runCli(['call', 'grpc', ...args]),
      runCli(['call', 'rest', ...args]),
    ]);
    expect(grpc.code).toBe(0);
    expect(rest.code).toBe(0);
    expect(rest.stdout).toBe(grpc.stdout);
    const answer = JSON.parse(grpc.stdout) as { labels: string[]; scores: number[] };
    expect(answer.labels[0]).toBe('smart home');
    expect(answer.scores).toHaveLength(3);
  });

  it('transcribes a WAV file over both protocols', async () => {
    const args = ['transcribe', '--audio', 'bench/corpus/audio/cmd-001-slt.wav', ...ports()];
    const [grpc, rest] = await Promise.all([
      runCli(['call', 'grpc', ...args]),
      runCli(['call', 'rest', ...args]),
    ]);
    expect(rest.stdout).toBe(grpc.stdout);
    expect(JSON.parse(grpc.stdout).transcript).toBe('turn on the lights in the kitchen');
  });

  it('reports a server error as JSON on stderr with exit code 1', async () => {
    const result = await runCli(['call', 'rest', 'classify', '--text', ' ', '--labels', 'a', ...ports()]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr).code).toBe('INVALID_ARGUMENT');
  });

  it('refuses a busy port clearly, with exit code 2', async () => {
    const result = await runCli([
      'serve',
      '--protocol',
      'rest',
      '--rest-port',
      String(server.restPort),
      '--stt',
      'reference',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/already in use|EADDRINUSE/);
  });
});

describe('grpc-rest-bench usage errors', () => {
  it.each([
    [['serve', '--stt', 'whisper'], /--stt must be one of auto, sphinx, reference/],
    [['serve', '--classifier', 'bert'], /--classifier must be one of words, sentence/],
    [['eval', '--classifier', 'bert'], /--classifier must be one of words, sentence/],
    [['serve', '--grpc-port', '99999'], /--grpc-port must be a whole number/],
    [['serve', '--no-such-flag'], /Unknown option/],
    [['call', 'grpc', 'classify'], /classify needs --text/],
    [['call', 'soap', 'classify', '--text', 'x', '--labels', 'a'], /--protocol must be one of grpc, rest/],
    [['frobnicate'], /unknown command/],
    [
      ['serve', '--idle-timeout-ms', '0', '--headers-timeout-ms', '5000', '--request-timeout-ms', '1000'],
      /--idle-timeout-ms must be a whole number from 1[\s\S]*--headers-timeout-ms \(5000\) must not exceed --request-timeout-ms \(1000\)/,
    ],
  ])('%j exits 2 and says why', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
