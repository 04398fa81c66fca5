import { formatSizes } from '../bench/sizes/format-sizes.js';
import { runSizes } from '../bench/sizes/run-sizes.js';
import { defineCommand, parseCommand } from './command-definition.js';

export const sizesCommand = defineCommand({
  name: 'sizes',
  summary: 'Protobuf vs JSON for every message of the corpus: bytes, gzipped bytes, encode and decode time.',
  description:
    'For every message type of the corpus (short and long classify text, 3 s and 30 s audio, the service\'s responses): protobuf, JSON, gzip(JSON) and gzip(protobuf) bytes, ts-proto vs JSON encode/decode time per message, and where "protobuf is 30% smaller" holds. Takes about 10 s; progress goes to stderr.',
  options: { json: { type: 'boolean', default: false, description: 'one JSON object on stdout' } },
  examples: ['grpc-rest-bench sizes --json'],
});

export async function sizes(argv: readonly string[]): Promise<number> {
  const { values } = parseCommand(sizesCommand, argv);
  const report = await runSizes({ onProgress: (message) => process.stderr.write(`sizes: ${message}\n`) });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatSizes(report));
  return 0;
}
