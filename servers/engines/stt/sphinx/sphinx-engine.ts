import type { PcmAudio, SpeechStream, SpeechToText, Transcription } from '../../../core/engines.js';
import { ServiceError } from '../../../core/service-error.js';
import { checkSphinxAvailability } from './availability.js';
import { DecoderPool, defaultPoolSize } from './decoder-pool.js';
import { emptyTranscription, isDigitalSilence } from './digital-silence.js';
import { defaultSphinxModel, type SphinxModelPaths } from './model-paths.js';
import { loadSphinxAddon, type NativeDecoder } from './native-binding.js';
import { SphinxStream } from './sphinx-stream.js';
import { fromNativeError, toTranscription } from './transcription.js';

export interface SphinxEngineOptions {
  readonly model?: SphinxModelPaths;
  /** Decoders, each holding its own copy of the model (~100 MB); default: the libuv thread pool size. */
  readonly poolSize?: number;
  /** Requests that may wait for a decoder before more are refused; default 64. */
  readonly maxQueue?: number;
  /** Further pocketsphinx options, e.g. `{ '-lw': '5.5' }`; they override the defaults below. */
  readonly decoderOptions?: Readonly<Record<string, string>>;
}

export const defaultMaxQueue = 64;

export const defaultDecoderOptions: Readonly<Record<string, string>> = {
  // The voice-activity filter drops non-speech frames before the search, and this
  // pocketsphinx does not add them back into segment times, so every word after a
  // pause would be placed too early. It costs nothing in accuracy on the corpus.
  '-remove_silence': 'no',
  // Caps the HMMs searched per frame. Same WER on the corpus, about 20% less CPU,
  // and half the cost of noise, on which the search otherwise never narrows.
  '-maxhmmpf': '5000',
};

const sampleRateHertz = 16_000;

function decoderArgs(model: SphinxModelPaths, extra: Readonly<Record<string, string>> = {}): string[] {
  const options = {
    '-hmm': model.hmm,
    '-lm': model.lm,
    '-dict': model.dict,
    '-samprate': String(sampleRateHertz),
    ...defaultDecoderOptions,
    ...extra,
  };
  return Object.entries(options).flat();
}

function unavailable(message: string): ServiceError {
  return new ServiceError('UNAVAILABLE', message, 'ENGINE_UNAVAILABLE');
}

/** CMU PocketSphinx with the US English model, decoding on the libuv thread pool. */
export class SphinxEngine implements SpeechToText {
  readonly name = 'sphinx';
  readonly sampleRatesHertz = [sampleRateHertz] as const;

  private constructor(
    private readonly pool: DecoderPool<NativeDecoder>,
    private readonly framesPerSecond: number,
  ) {}

  static async create(options: SphinxEngineOptions = {}): Promise<SphinxEngine> {
    const model = options.model ?? defaultSphinxModel;
    const availability = checkSphinxAvailability(model);
    if (!availability.available) {
      throw unavailable(
        `the sphinx engine is unavailable: ${availability.reason}; install with: ${availability.installCommand}`,
      );
    }
    const addon = loadSphinxAddon();
    const args = decoderArgs(model, options.decoderOptions);
    let framesPerSecond = 100;
    try {
      const pool = await DecoderPool.create<NativeDecoder>({
        size: options.poolSize ?? defaultPoolSize(),
        maxQueue: options.maxQueue ?? defaultMaxQueue,
        create: async () => {
          const decoder = await addon.load(args);
          framesPerSecond = decoder.framesPerSecond;
          return decoder;
        },
        destroy: (decoder) => decoder.destroy(),
      });
      return new SphinxEngine(pool, framesPerSecond);
    } catch (error) {
      if (error instanceof RangeError) throw error;
      throw unavailable(
        `cannot load the sphinx model: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  async transcribe(audio: PcmAudio): Promise<Transcription> {
    this.checkRate(audio.sampleRateHertz);
    const duration = audio.samples.length / audio.sampleRateHertz;
    if (isDigitalSilence(audio.samples)) return emptyTranscription(duration);
    const lease = await this.pool.acquire();
    try {
      const result = await lease.decoder.decode(audio.samples);
      return toTranscription(result, duration, this.framesPerSecond);
    } catch (error) {
      throw fromNativeError(error);
    } finally {
      lease.release();
    }
  }

  async startStream(rate: number): Promise<SpeechStream> {
    this.checkRate(rate);
    const lease = await this.pool.acquire();
    try {
      await lease.decoder.start();
    } catch (error) {
      lease.release();
      throw fromNativeError(error);
    }
    return new SphinxStream(lease, rate, this.framesPerSecond);
  }

  /** Frees every decoder; requests still running finish, later ones are refused. */
  close(): Promise<void> {
    return this.pool.close();
  }

  private checkRate(rate: number): void {
    if (rate !== sampleRateHertz) {
      throw new ServiceError(
        'INVALID_ARGUMENT',
        `sphinx decodes ${sampleRateHertz} Hz audio, not ${rate} Hz`,
      );
    }
  }
}
