import { formatSizes } from '../bench/sizes/format-sizes.js';
import { runSizes } from '../bench/sizes/run-sizes.js';
import { parseOptions } from './parse-options.js';

export const sizesUsage = `grpc-rest-bench sizes [--json]
  For every message type of the corpus (short and long classify text, 3 s and 30 s
  audio, the service's responses): protobuf, JSON, gzip(JSON) and gzip(protobuf)
  bytes, ts-proto vs JSON encode/decode time per message, and where "protobuf is
  30% smaller" holds. Takes about 10 s. --json prints one JSON object on stdout;
  progress goes to stderr.`;

export async function sizes(argv: readonly string[]): Promise<number> {
  const { values } = parseOptions(argv, { json: { type: 'boolean', default: false } });
  const report = await runSizes({ onProgress: (message) => process.stderr.write(`sizes: ${message}\n`) });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatSizes(report));
  return 0;
}
