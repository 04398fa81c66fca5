import { AudioEncoding, type RecognitionConfig } from '../../proto/gen/speech/v1/speech.js';
import type { PcmAudio } from './engines.js';
import type { Limits } from './limits.js';
import { invalidArgument, payloadTooLarge } from './service-error.js';
import { parseWavLayout, type WavLayout } from './wav.js';

/** What the engine in service accepts; the audio checks need it to judge sample rates. */
export interface AudioRules {
  readonly limits: Limits;
  readonly sampleRatesHertz: readonly number[];
}

const supportedLanguage = /^en(-[a-z]{2})?$/i;

/**
 * Checks a request's config and returns the encoding it names. UNSPECIFIED means WAV:
 * a WAV header says everything, while raw LINEAR16 needs its rate spelled out.
 */
export function checkConfig(config: RecognitionConfig | undefined): AudioEncoding {
  const encoding = config?.encoding ?? AudioEncoding.AUDIO_ENCODING_UNSPECIFIED;
  const language = config?.languageCode ?? '';
  if (language !== '' && !supportedLanguage.test(language)) {
    throw invalidArgument(
      `languageCode "${language}" is not supported; this service recognizes English (en-US)`,
    );
  }
  if (encoding === AudioEncoding.AUDIO_ENCODING_UNSPECIFIED || encoding === AudioEncoding.WAV) {
    return AudioEncoding.WAV;
  }
  if (encoding === AudioEncoding.LINEAR16) {
    if (!config?.sampleRateHertz) throw invalidArgument('LINEAR16 audio needs config.sampleRateHertz');
    return encoding;
  }
  throw invalidArgument(`unknown audio encoding ${encoding}`);
}

function checkRate(rate: number, config: RecognitionConfig | undefined, rules: AudioRules): void {
  const declared = config?.sampleRateHertz ?? 0;
  if (declared !== 0 && declared !== rate) {
    throw invalidArgument(`config.sampleRateHertz is ${declared} but the WAV header says ${rate}`);
  }
  if (!rules.sampleRatesHertz.includes(rate)) {
    throw invalidArgument(
      `sample rate ${rate} Hz is not supported; send ${rules.sampleRatesHertz.join(' or ')} Hz (resample with: sox in.wav -r 16000 out.wav)`,
    );
  }
}

function checkDuration(sampleCount: number, rate: number, limits: Limits): void {
  const seconds = sampleCount / rate;
  if (seconds > limits.maxAudioSeconds) {
    throw payloadTooLarge(`audio is ${seconds.toFixed(1)} s long; the limit is ${limits.maxAudioSeconds} s`);
  }
}

/** Int16 samples over the given little-endian bytes, copied only when they are not 2-byte aligned. */
function samplesOf(bytes: Uint8Array): Int16Array {
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  return new Int16Array(copyOf(bytes).buffer);
}

/** Validates a whole audio payload and returns its samples. */
export function decodeAudio(
  bytes: Uint8Array,
  config: RecognitionConfig | undefined,
  rules: AudioRules,
): PcmAudio {
  const encoding = checkConfig(config);
  if (bytes.length === 0) throw invalidArgument('audio is empty');
  if (bytes.length > rules.limits.maxAudioBytes) {
    throw payloadTooLarge(`audio is ${bytes.length} bytes; the limit is ${rules.limits.maxAudioBytes} bytes`);
  }
  let pcm = bytes;
  let rate = config?.sampleRateHertz ?? 0;
  if (encoding === AudioEncoding.WAV) {
    const layout = parseWavLayout(bytes, true)!;
    rate = layout.format.sampleRateHertz;
    pcm = bytes.subarray(layout.dataOffset, layout.dataOffset + layout.dataBytes);
  }
  checkRate(rate, config, rules);
  if (pcm.length % 2 !== 0) throw invalidArgument(`PCM16 audio has an odd number of bytes (${pcm.length})`);
  checkDuration(pcm.length / 2, rate, rules.limits);
  return { samples: samplesOf(pcm), sampleRateHertz: rate };
}

/**
 * Turns the audio chunks of a stream into samples as they arrive: waits for a WAV
 * header to be complete, carries an odd byte over to the next chunk, and enforces
 * the same limits as a whole payload.
 */
export class StreamingAudioDecoder {
  readonly sampleRateHertz: number;
  private readonly encoding: AudioEncoding;
  private pending: Uint8Array = new Uint8Array(0);
  private layout: WavLayout | undefined;
  private receivedBytes = 0;
  private samplesOut = 0;

  constructor(
    private readonly config: RecognitionConfig | undefined,
    private readonly rules: AudioRules,
  ) {
    this.encoding = checkConfig(config);
    this.sampleRateHertz = config?.sampleRateHertz ?? 0;
    if (this.encoding === AudioEncoding.LINEAR16) checkRate(this.sampleRateHertz, config, rules);
  }

  get durationSeconds(): number {
    return this.rate === 0 ? 0 : this.samplesOut / this.rate;
  }

  /** The rate known so far: from the config, or from the WAV header once it has arrived. */
  get rate(): number {
    return this.layout?.format.sampleRateHertz ?? this.sampleRateHertz;
  }

  /** Returns the whole samples that this chunk completes (possibly none). */
  push(chunk: Uint8Array): Int16Array {
    this.receivedBytes += chunk.length;
    if (this.receivedBytes > this.rules.limits.maxAudioBytes) {
      throw payloadTooLarge(`streamed audio exceeds ${this.rules.limits.maxAudioBytes} bytes`);
    }
    let bytes = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    if (this.encoding === AudioEncoding.WAV && !this.layout) {
      this.layout = parseWavLayout(bytes, false);
      if (!this.layout) {
        this.pending = copyOf(bytes);
        return new Int16Array(0);
      }
      checkRate(this.layout.format.sampleRateHertz, this.config, this.rules);
      bytes = bytes.subarray(this.layout.dataOffset);
    }
    const whole = bytes.length - (bytes.length % 2);
    this.pending = copyOf(bytes.subarray(whole));
    const samples = new Int16Array(copyOf(bytes.subarray(0, whole)).buffer);
    this.samplesOut += samples.length;
    checkDuration(this.samplesOut, this.rate, this.rules.limits);
    return samples;
  }

  /** Checks that the stream ended on a whole sample and, for WAV, after a complete header. */
  finish(): void {
    if (this.receivedBytes === 0) throw invalidArgument('the stream carried no audio');
    if (this.encoding === AudioEncoding.WAV && !this.layout) parseWavLayout(this.pending, true);
    if (this.pending.length !== 0) throw invalidArgument('PCM16 audio has an odd number of bytes');
  }
}

/** A copy with a buffer of its own (`Buffer#slice` would return a view). */
function copyOf(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
