import { readFileSync } from 'node:fs';
import { GrpcSpeechClient } from '../clients/grpc-speech-client.js';
import { grpcHealthCheck, restHealthCheck } from '../clients/health-check.js';
import { RestSpeechClient } from '../clients/rest-speech-client.js';
import type { CallOptions, SpeechClient } from '../clients/speech-client.js';
import {
  AudioEncoding,
  ClassifyResponse,
  ServerInfo,
  TranscribeAndClassifyResponse,
  TranscribeResponse,
  UsageResponse,
} from '../proto/gen/speech/v1/speech.js';
import { defineCommand, parseCommand } from './command-definition.js';
import { addressOptions, choiceOption, integerOption, readAddress } from './parse-options.js';
import { callTlsOptions, readCallTls } from './tls-options.js';
import { UsageError } from './usage-error.js';

const rpcs = ['classify', 'transcribe', 'transcribe-and-classify', 'info', 'usage', 'health'] as const;

export const callCommand = defineCommand({
  name: 'call',
  summary: 'One call to a running server over gRPC or REST; the response as JSON.',
  positionals: 'grpc|rest RPC',
  description: `RPC is one of ${rpcs.join(', ')}. health is grpc.health.v1.Health/Check (grpc) or GET /healthz (rest), plaintext; exit 0 when SERVING.

Prints the response as proto3 JSON on stdout; an error as {"code","message"} on stderr, exit 1.`,
  options: {
    ...addressOptions,
    text: { type: 'string', value: 'TEXT', description: 'text to classify (classify)' },
    labels: {
      type: 'string',
      value: 'a,b,c',
      description: 'candidate labels (classify, transcribe-and-classify)',
    },
    'multi-label': { type: 'boolean', default: false, description: 'independent scores per label' },
    template: {
      type: 'string',
      default: '',
      value: 'TEMPLATE',
      description: 'hypothesis template with {} for the label',
    },
    audio: {
      type: 'string',
      value: 'FILE.wav',
      description: '16 kHz mono PCM16 WAV (transcribe, transcribe-and-classify)',
    },
    deadline: { type: 'string', value: 'MS', defaultText: '30000', description: 'call deadline' },
    ...callTlsOptions,
    'api-key': {
      type: 'string',
      value: 'KEY',
      description:
        'sent as "authorization: Bearer KEY" (or set GRPC_REST_BENCH_API_KEY); over plaintext gRPC it travels as plain metadata: for development only',
    },
    attempts: {
      type: 'string',
      value: 'N',
      defaultText: '3',
      description: 'attempts when the server pushes back with a retry delay',
    },
  },
  examples: [
    'grpc-rest-bench call grpc classify --text "play some jazz" --labels music,weather,alarm',
    'grpc-rest-bench call rest transcribe --audio bench/corpus/audio/cmd-001-slt.wav',
    'grpc-rest-bench call grpc transcribe-and-classify --audio FILE.wav --labels music,weather',
    'grpc-rest-bench call grpc info --ca /tmp/pki/ca.pem --cert /tmp/pki/client.pem --key /tmp/pki/client-key.pem',
    'grpc-rest-bench call rest usage --api-key "$KEY"',
    'grpc-rest-bench call grpc health',
  ],
});

/** The command line, checked (every problem at once), without calling anything. */
export function parseCallOptions(argv: readonly string[]) {
  const { values, positionals } = parseCommand(callCommand, argv);
  const problems: string[] = [];
  if (positionals.length !== 2) problems.push('call takes a protocol and an RPC: call grpc|rest RPC');
  const protocol = choiceOption('protocol', positionals[0], ['grpc', 'rest'] as const, 'grpc', problems);
  const rpc = choiceOption('rpc', positionals[1], rpcs, 'info', problems);
  const address = readAddress(values, problems);
  const deadlineMs = integerOption('deadline', values.deadline, 30_000, { min: 1, max: 3_600_000 }, problems);
  const attempts = integerOption('attempts', values.attempts, 3, { min: 1, max: 20 }, problems);
  const apiKey = values['api-key'] ?? process.env.GRPC_REST_BENCH_API_KEY;
  const labels = values.labels === undefined ? [] : values.labels.split(',').map((label) => label.trim());
  const needsAudio = rpc === 'transcribe' || rpc === 'transcribe-and-classify';
  if (rpc === 'classify' && values.text === undefined) problems.push('classify needs --text');
  if ((rpc === 'classify' || rpc === 'transcribe-and-classify') && values.labels === undefined) {
    problems.push(`${rpc} needs --labels`);
  }
  if (needsAudio && values.audio === undefined) problems.push(`${rpc} needs --audio FILE.wav`);
  let audio = Buffer.alloc(0);
  if (needsAudio && values.audio !== undefined) {
    try {
      audio = readFileSync(values.audio);
    } catch (error) {
      problems.push(`cannot read --audio ${values.audio}: ${(error as Error).message}`);
    }
  }
  const tlsOption = readCallTls(values, problems);
  if (problems.length > 0) throw new UsageError(problems);
  const tls = tlsOption ? { tls: tlsOption } : {};
  const policy = { pushbackAttempts: attempts, ...(apiKey === undefined ? {} : { apiKey }) };
  return { protocol, rpc, address, deadlineMs, labels, audio, values, tls, policy };
}

export async function call(argv: readonly string[]): Promise<number> {
  const { protocol, rpc, address, deadlineMs, labels, audio, values, tls, policy } = parseCallOptions(argv);
  if (rpc === 'health') {
    const health =
      protocol === 'grpc'
        ? await grpcHealthCheck(address.host, address.grpcPort, deadlineMs)
        : await restHealthCheck(address.host, address.restPort, deadlineMs);
    process.stdout.write(`${JSON.stringify({ status: health.status })}\n`);
    return health.serving ? 0 : 1;
  }
  const client: SpeechClient & { usage(options: CallOptions): Promise<UsageResponse> } =
    protocol === 'grpc'
      ? new GrpcSpeechClient({ host: address.host, port: address.grpcPort, ...policy, ...tls })
      : new RestSpeechClient({ host: address.host, port: address.restPort, ...policy, ...tls });
  const options: CallOptions = {
    deadlineMs,
    onRetry: ({ attempt, maxAttempts, waitMs, error }) =>
      process.stderr.write(
        `${error.code}: retrying in ${waitMs} ms (attempt ${attempt} of ${maxAttempts})\n`,
      ),
  };
  const config = { encoding: AudioEncoding.WAV, sampleRateHertz: 0, languageCode: '' };
  const classifyFields = {
    candidateLabels: labels,
    multiLabel: values['multi-label'],
    hypothesisTemplate: values.template,
  };
  try {
    let json: unknown;
    if (rpc === 'classify') {
      json = ClassifyResponse.toJSON(
        await client.classify({ text: values.text ?? '', ...classifyFields }, options),
      );
    } else if (rpc === 'transcribe') {
      json = TranscribeResponse.toJSON(await client.transcribe({ audio, config }, options));
    } else if (rpc === 'transcribe-and-classify') {
      json = TranscribeAndClassifyResponse.toJSON(
        await client.transcribeAndClassify({ audio, config, ...classifyFields }, options),
      );
    } else if (rpc === 'usage') {
      json = UsageResponse.toJSON(await client.usage(options));
    } else {
      json = ServerInfo.toJSON(await client.serverInfo(options));
    }
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  } finally {
    client.close();
  }
}
