import { createHash } from 'node:crypto';
import type { PcmAudio, SpeechStream, SpeechToText, Transcription } from '../../../core/engines.js';
import { ServiceError } from '../../../core/service-error.js';
import { CpuBurner } from './cpu-burner.js';

/** A clip whose transcript the engine may return: the corpus, decoded. */
export interface ReferenceClip {
  readonly text: string;
  readonly audio: PcmAudio;
}

export interface ReferenceEngineOptions {
  readonly clips: readonly ReferenceClip[];
  /** CPU seconds spent per second of audio; 0 spends none. */
  readonly realTimeFactor: number;
  /** PBKDF2 iterations per CPU second (CpuBurner); calibrated in this process when absent. */
  readonly burnRate?: number;
}

/** Streams identify their clip by the hash of its first half second. */
const prefixSeconds = 0.5;

interface KnownClip {
  readonly words: readonly string[];
  readonly durationSeconds: number;
}

function sha256Of(samples: Int16Array): string {
  return createHash('sha256').update(samples).digest('hex');
}

/**
 * A measurement control, not speech recognition: it validates and consumes the
 * audio it is sent, spends a set amount of CPU per second of audio, and returns the
 * corpus's reference transcript for corpus audio. With it, a benchmark measures
 * the protocol and not the recognizer.
 */
export class ReferenceEngine implements SpeechToText {
  readonly name = 'reference';
  readonly sampleRatesHertz = [16_000] as const;
  private readonly byHash = new Map<string, KnownClip>();
  private readonly byPrefixHash = new Map<string, KnownClip>();
  private readonly burner: CpuBurner;

  constructor(private readonly options: ReferenceEngineOptions) {
    if (!(options.realTimeFactor >= 0)) throw new RangeError('realTimeFactor must be a number >= 0');
    this.burner = options.burnRate === undefined ? CpuBurner.calibrate() : CpuBurner.atRate(options.burnRate);
    for (const clip of options.clips) {
      const known = {
        words: clip.text.split(/\s+/).filter((w) => w !== ''),
        durationSeconds: clip.audio.samples.length / clip.audio.sampleRateHertz,
      };
      this.byHash.set(sha256Of(clip.audio.samples), known);
      const prefix = prefixLength(clip.audio.sampleRateHertz);
      if (clip.audio.samples.length >= prefix) {
        this.byPrefixHash.set(sha256Of(clip.audio.samples.subarray(0, prefix)), known);
      }
    }
  }

  async transcribe(audio: PcmAudio): Promise<Transcription> {
    const durationSeconds = audio.samples.length / audio.sampleRateHertz;
    await this.burner.burn(durationSeconds * this.options.realTimeFactor);
    const hash = sha256Of(audio.samples);
    const clip = this.byHash.get(hash);
    if (!clip) throw unknownAudio(hash);
    return transcriptionOf(clip, durationSeconds, durationSeconds);
  }

  async startStream(sampleRateHertz: number): Promise<SpeechStream> {
    return new ReferenceStream(this, sampleRateHertz);
  }

  async close(): Promise<void> {}

  /** @internal for ReferenceStream */
  lookUp(fullHash: string): KnownClip | undefined {
    return this.byHash.get(fullHash);
  }

  /** @internal for ReferenceStream */
  lookUpPrefix(prefixHash: string): KnownClip | undefined {
    return this.byPrefixHash.get(prefixHash);
  }

  /** @internal for ReferenceStream */
  burn(audioSeconds: number): Promise<void> {
    return this.burner.burn(audioSeconds * this.options.realTimeFactor);
  }
}

class ReferenceStream implements SpeechStream {
  private readonly hash = createHash('sha256');
  private readonly prefix: Int16Array;
  private prefixFilled = 0;
  private candidate: KnownClip | undefined;
  private samples = 0;
  private done = false;

  constructor(
    private readonly engine: ReferenceEngine,
    private readonly sampleRateHertz: number,
  ) {
    this.prefix = new Int16Array(prefixLength(sampleRateHertz));
  }

  async process(samples: Int16Array): Promise<void> {
    if (this.done) throw new ServiceError('FAILED_PRECONDITION', 'the stream has ended');
    this.hash.update(samples);
    this.samples += samples.length;
    if (this.prefixFilled < this.prefix.length) {
      const take = samples.subarray(0, this.prefix.length - this.prefixFilled);
      this.prefix.set(take, this.prefixFilled);
      this.prefixFilled += take.length;
      if (this.prefixFilled === this.prefix.length)
        this.candidate = this.engine.lookUpPrefix(sha256Of(this.prefix));
    }
    await this.engine.burn(samples.length / this.sampleRateHertz);
  }

  async partial(): Promise<Transcription> {
    const heard = this.samples / this.sampleRateHertz;
    if (!this.candidate) return { transcript: '', confidence: 0, audioDurationSeconds: heard, words: [] };
    return transcriptionOf(this.candidate, heard, heard);
  }

  async end(): Promise<Transcription> {
    this.done = true;
    const digest = this.hash.digest('hex');
    const clip = this.engine.lookUp(digest);
    if (!clip) throw unknownAudio(digest);
    const duration = this.samples / this.sampleRateHertz;
    return transcriptionOf(clip, duration, duration);
  }

  abort(): void {
    this.done = true;
  }
}

function prefixLength(sampleRateHertz: number): number {
  return Math.round(prefixSeconds * sampleRateHertz);
}

/**
 * The clip's words spread evenly over its duration, cut at `heardSeconds`: a
 * stream sees the words whose time has come.
 */
function transcriptionOf(clip: KnownClip, heardSeconds: number, audioDurationSeconds: number): Transcription {
  const perWord = clip.durationSeconds / Math.max(1, clip.words.length);
  const words = clip.words
    .map((word, i) => ({ word, startSeconds: i * perWord, endSeconds: (i + 1) * perWord, confidence: 1 }))
    .filter((w) => w.endSeconds <= heardSeconds + 1e-9);
  return { transcript: words.map((w) => w.word).join(' '), confidence: 1, audioDurationSeconds, words };
}

function unknownAudio(hash: string): ServiceError {
  return new ServiceError(
    'UNIMPLEMENTED',
    `the reference engine is a measurement control that only knows the corpus clips; this audio (sha256 ${hash.slice(0, 12)}…) is not one of them. Use --stt sphinx for real recognition.`,
  );
}
