/**
 * The small interfaces through which the core uses its engines. Engines know
 * nothing of protocols; the core knows nothing of how an engine works.
 */

/** 16-bit signed mono PCM, already validated. */
export interface PcmAudio {
  readonly samples: Int16Array;
  readonly sampleRateHertz: number;
}

export interface WordTiming {
  readonly word: string;
  /** Seconds from the start of the audio. */
  readonly startSeconds: number;
  readonly endSeconds: number;
  /** 0..1 */
  readonly confidence: number;
}

export interface Transcription {
  readonly transcript: string;
  /** 0..1 */
  readonly confidence: number;
  readonly audioDurationSeconds: number;
  readonly words: readonly WordTiming[];
}

/** One utterance decoded as its audio arrives. */
export interface SpeechStream {
  /** Feeds samples; resolves once they are decoded. Calls must not overlap. */
  process(samples: Int16Array): Promise<void>;
  /** The best hypothesis so far. */
  partial(): Promise<Transcription>;
  /** Finishes the utterance; the stream cannot be used afterwards. */
  end(): Promise<Transcription>;
  /** Releases the stream's resources without a result (client went away). Safe to call twice. */
  abort(): void;
}

export interface SpeechToText {
  /** Engine name as reported to clients: `sphinx`, `reference`. */
  readonly name: string;
  /** The sample rates the engine decodes. */
  readonly sampleRatesHertz: readonly number[];
  transcribe(audio: PcmAudio): Promise<Transcription>;
  startStream(sampleRateHertz: number): Promise<SpeechStream>;
  close(): Promise<void>;
}

export interface ClassifyOptions {
  readonly multiLabel: boolean;
  /** Contains `{}` where the label goes; empty for the label alone. */
  readonly hypothesisTemplate: string;
}

export interface Classification {
  /** Best first. */
  readonly labels: string[];
  readonly scores: number[];
}

export interface ZeroShotClassifier {
  readonly name: string;
  /** Engines that work on the event loop in microseconds answer at once; others with a promise. */
  classify(
    text: string,
    candidateLabels: readonly string[],
    options: ClassifyOptions,
  ): Classification | Promise<Classification>;
  close?(): Promise<void>;
}
