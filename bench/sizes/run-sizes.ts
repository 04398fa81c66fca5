/** The whole `sizes` measurement: every corpus message, its sizes, codec times and verdict. */
import { captureEnvironment } from '../run/environment.js';
import { type MessageTimings, timeCodecs } from './codec-timing.js';
import { buildCorpusCases } from './corpus-cases.js';
import { DEFAULT_TIMING, type TimingOptions } from './interleaved-timing.js';
import type { MessageCase, MessageDirection, PayloadKind } from './message-case.js';
import { GZIP_LEVEL, type MessageSizes, measureSizes } from './message-sizes.js';
import { sizeNotes } from './size-notes.js';
import { CLAIMED_SAVING, type SizeVerdict, sizeVerdict } from './size-verdict.js';

export interface MessageReport {
  readonly id: string;
  readonly direction: MessageDirection;
  readonly type: string;
  readonly description: string;
  readonly payload: PayloadKind;
  readonly sizes: MessageSizes;
  readonly timings: MessageTimings;
  readonly verdict: SizeVerdict;
}

export interface SizesReport {
  readonly environment: {
    readonly node: string;
    readonly cpuModel: string;
    readonly cores: number;
    readonly os: string;
    readonly packages: Record<string, string>;
  };
  readonly gzipLevel: number;
  readonly claimedSaving: number;
  /** How the codecs were timed. */
  readonly timing: TimingOptions & {
    readonly protobuf: string;
    readonly json: string;
  };
  readonly messages: readonly MessageReport[];
  /** Where the claim holds and where not, and why, per kind of payload. */
  readonly notes: readonly string[];
}

export interface SizesOptions {
  readonly timing?: TimingOptions;
  readonly onProgress?: (message: string) => void;
  /** The cases to measure; the corpus's by default. */
  readonly cases?: readonly MessageCase[];
}

export async function runSizes(options: SizesOptions = {}): Promise<SizesReport> {
  const timing = options.timing ?? DEFAULT_TIMING;
  const progress = options.onProgress ?? (() => {});
  const environment = captureEnvironment();
  const cases = options.cases ?? (await buildCorpusCases());
  const messages: MessageReport[] = [];
  for (const [index, message] of cases.entries()) {
    progress(`[${index + 1}/${cases.length}] ${message.direction} ${message.id}`);
    const sizes = measureSizes(message);
    messages.push({
      id: message.id,
      direction: message.direction,
      type: message.typeName,
      description: message.description,
      payload: message.payload,
      sizes,
      timings: timeCodecs(message, timing),
      verdict: sizeVerdict(sizes),
    });
  }
  return {
    environment: {
      node: environment.node,
      cpuModel: environment.cpuModel,
      cores: environment.cores,
      os: environment.os,
      packages: {
        'ts-proto': environment.packages['ts-proto'] ?? 'unknown',
        '@bufbuild/protobuf': environment.packages['@bufbuild/protobuf'] ?? 'unknown',
      },
    },
    gzipLevel: GZIP_LEVEL,
    claimedSaving: CLAIMED_SAVING,
    timing: {
      ...timing,
      protobuf: 'ts-proto: encode(m).finish() / decode(bytes)',
      json: 'JSON.stringify(toJSON(m)) / fromJSON(JSON.parse(text))',
    },
    messages,
    notes: sizeNotes(messages),
  };
}
