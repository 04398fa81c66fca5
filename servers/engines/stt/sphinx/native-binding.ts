import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A recognised word; frames are 1/framesPerSecond s, and endFrame is inclusive. */
export interface NativeWord {
  readonly word: string;
  readonly startFrame: number;
  readonly endFrame: number;
  /** Posterior 0..1; 0 when unknown (partial results). */
  readonly prob: number;
}

export interface NativeResult {
  /** Fillers (<sil>, [NOISE]) and pronunciation variants ("(2)") already removed. */
  readonly hyp: string;
  /** Posterior of the whole hypothesis 0..1; 0 when unknown (partial or empty results). */
  readonly confidence: number;
  readonly frames: number;
  readonly words: readonly NativeWord[];
}

/**
 * One pocketsphinx decoder. Every method runs on the libuv thread pool; a call made
 * while another is in flight, or after destroy(), rejects (code ERR_DECODER_BUSY /
 * ERR_DECODER_DESTROYED) rather than touching the decoder.
 */
export interface NativeDecoder {
  readonly framesPerSecond: number;
  readonly busy: boolean;
  readonly destroyed: boolean;
  /** Decodes a whole utterance (abandoning any unfinished stream). */
  decode(samples: Int16Array): Promise<NativeResult>;
  start(): Promise<void>;
  process(samples: Int16Array): Promise<void>;
  partial(): Promise<NativeResult>;
  end(): Promise<NativeResult>;
  /** Frees the model now, or when the call in flight finishes. */
  destroy(): void;
}

export interface SphinxAddon {
  /** Options are pocketsphinx command-line pairs: ['-hmm', dir, '-lm', file, ...]. */
  load(args: readonly string[]): Promise<NativeDecoder>;
}

export const addonPath = fileURLToPath(new URL('./native/build/Release/sphinx_addon.node', import.meta.url));

const require = createRequire(import.meta.url);
let cached: SphinxAddon | undefined;

function isAddon(value: unknown): value is SphinxAddon {
  return typeof value === 'object' && value !== null && 'load' in value && typeof value.load === 'function';
}

/** Loads the built addon; throws if it is missing or libpocketsphinx cannot be linked. */
export function loadSphinxAddon(): SphinxAddon {
  if (cached) return cached;
  const loaded: unknown = require(addonPath);
  if (!isAddon(loaded)) throw new Error(`${addonPath} is not the sphinx addon`);
  cached = loaded;
  return loaded;
}

/** The `code` the addon puts on its errors, if any. */
export function nativeErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
