import type { SpeechStream, Transcription } from '../../../core/engines.js';
import { ServiceError } from '../../../core/service-error.js';
import type { DecoderLease } from './decoder-pool.js';
import { emptyTranscription, isDigitalSilence } from './digital-silence.js';
import type { NativeDecoder } from './native-binding.js';
import { fromNativeError, toTranscription } from './transcription.js';

type StreamState = 'open' | 'ended' | 'aborted';

/** One utterance on a decoder borrowed from the pool for the stream's whole life. */
export class SphinxStream implements SpeechStream {
  private state: StreamState = 'open';
  private sampleCount = 0;
  /** Until a sample is not zero, there is nothing to recognise (see digital-silence.ts). */
  private heardSignal = false;
  private inFlight = 0;
  // Calls run one after another even if a caller overlaps them, so the addon never sees two at once.
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly lease: DecoderLease<NativeDecoder>,
    private readonly sampleRateHertz: number,
    private readonly framesPerSecond: number,
  ) {}

  process(samples: Int16Array): Promise<void> {
    // A call that has to wait would otherwise read the buffer after the caller has reused it.
    const owned = this.inFlight > 0 ? samples.slice() : samples;
    this.heardSignal ||= !isDigitalSilence(owned);
    return this.run(async (decoder) => {
      await decoder.process(owned);
      this.sampleCount += owned.length;
    });
  }

  async partial(): Promise<Transcription> {
    const result = await this.run((decoder) => decoder.partial());
    if (!this.heardSignal) return emptyTranscription(this.durationSeconds());
    return toTranscription(result, this.durationSeconds(), this.framesPerSecond);
  }

  async end(): Promise<Transcription> {
    if (this.state !== 'open') throw this.closedError();
    const pending = this.run((decoder) => decoder.end());
    this.state = 'ended';
    try {
      const result = await pending;
      if (!this.heardSignal) return emptyTranscription(this.durationSeconds());
      return toTranscription(result, this.durationSeconds(), this.framesPerSecond);
    } finally {
      this.lease.release();
    }
  }

  abort(): void {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    // Close the utterance so the decoder goes back clean, but only once the call in flight is done.
    void this.tail
      .then(() => this.lease.decoder.end())
      .catch(() => undefined)
      .finally(() => this.lease.release());
  }

  private closedError(): ServiceError {
    const what = this.state === 'ended' ? 'has already ended' : 'was aborted';
    return new ServiceError('FAILED_PRECONDITION', `the stream ${what}`);
  }

  private durationSeconds(): number {
    return this.sampleCount / this.sampleRateHertz;
  }

  private run<T>(operation: (decoder: NativeDecoder) => Promise<T>): Promise<T> {
    if (this.state !== 'open') return Promise.reject(this.closedError());
    // Called at once when idle, so that the addon copies the caller's samples before this returns.
    const result =
      this.inFlight === 0
        ? operation(this.lease.decoder)
        : this.tail.then(() => operation(this.lease.decoder));
    this.inFlight++;
    this.tail = result.then(
      () => this.inFlight--,
      () => this.inFlight--,
    );
    return result.catch((error: unknown) => {
      throw fromNativeError(error);
    });
  }
}
