import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ClassifyRequest,
  ClassifyResponse,
  ServerInfo,
  StreamingTranscribeRequest,
  StreamingTranscribeResponse,
  TranscribeAndClassifyRequest,
  TranscribeAndClassifyResponse,
  TranscribeRequest,
  TranscribeResponse,
} from '../../proto/gen/speech/v1/speech.js';
import { type AudioRules, decodeAudio, StreamingAudioDecoder } from './audio-input.js';
import { checkClassifyInput } from './classify-input.js';
import type { SpeechStream, SpeechToText, Transcription, ZeroShotClassifier } from './engines.js';
import type { Limits } from './limits.js';
import { invalidArgument, toServiceError } from './service-error.js';
import { toTranscribeResponse, toWordInfo } from './transcription-mapping.js';

export interface SpeechServiceOptions {
  readonly stt: SpeechToText;
  readonly classifier: ZeroShotClassifier;
  readonly limits: Limits;
  readonly version: string;
  /**
   * Milliseconds added to every unary call: a deliberate slow-down, so that tests can
   * check that regression gates notice one. 0 in any real run.
   */
  readonly injectedDelayMs?: number;
  /**
   * Microseconds of CPU burned (a busy wait) in every unary call: a known extra cost per request,
   * so that the verdict calibration (bench/verdicts) can inject a throughput loss of a known size
   * into a CPU-bound server. 0 in any real run.
   */
  readonly injectedCpuUs?: number;
}

/**
 * The only place with handler logic. Protocol adapters call these methods with
 * decoded messages and translate the results and `ServiceError`s back.
 */
export class SpeechService {
  private readonly audioRules: AudioRules;

  constructor(private readonly options: SpeechServiceOptions) {
    this.audioRules = { limits: options.limits, sampleRatesHertz: options.stt.sampleRatesHertz };
  }

  get limits(): Limits {
    return this.options.limits;
  }

  async classify(request: ClassifyRequest): Promise<ClassifyResponse> {
    await this.injectedDelay();
    checkClassifyInput(request, this.options.limits);
    return this.runClassifier(request.text, request);
  }

  async transcribe(request: TranscribeRequest): Promise<TranscribeResponse> {
    await this.injectedDelay();
    const audio = decodeAudio(request.audio, request.config, this.audioRules);
    const transcription = await this.options.stt.transcribe(audio);
    return toTranscribeResponse(transcription, this.options.stt.name);
  }

  async transcribeAndClassify(request: TranscribeAndClassifyRequest): Promise<TranscribeAndClassifyResponse> {
    await this.injectedDelay();
    // Labels are checked before decoding so that a bad request costs no decoder time.
    checkClassifyInput({ ...request, text: '' }, this.options.limits, true);
    const audio = decodeAudio(request.audio, request.config, this.audioRules);
    const decodeStart = performance.now();
    const transcription = await this.options.stt.transcribe(audio);
    const classifyStart = performance.now();
    const classification = await this.runClassifier(transcription.transcript, request);
    const end = performance.now();
    return {
      transcription: toTranscribeResponse(transcription, this.options.stt.name),
      classification,
      timings: { decodeUs: (classifyStart - decodeStart) * 1000, classifyUs: (end - classifyStart) * 1000 },
    };
  }

  /**
   * The first message carries the config, the rest audio. A partial result is sent
   * whenever the hypothesis changes, and one final result after the last chunk.
   */
  async *streamingTranscribe(
    requests: AsyncIterable<StreamingTranscribeRequest>,
  ): AsyncGenerator<StreamingTranscribeResponse> {
    const iterator = requests[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done || first.value.request?.$case !== 'config') {
      throw invalidArgument('the first message of a stream must carry the config, and only the config');
    }
    const decoder = new StreamingAudioDecoder(first.value.request.config, this.audioRules);
    let stream: SpeechStream | undefined;
    let lastPartial = '';
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        const message = next.value.request;
        if (message?.$case !== 'audioChunk')
          throw invalidArgument('after the config, a stream carries only audio');
        const samples = decoder.push(message.audioChunk);
        if (samples.length === 0) continue;
        stream ??= await this.options.stt.startStream(decoder.rate);
        await stream.process(samples);
        const partial = await stream.partial();
        if (partial.transcript !== '' && partial.transcript !== lastPartial) {
          lastPartial = partial.transcript;
          yield toStreamingResponse(partial, false, decoder.durationSeconds);
        }
      }
      decoder.finish();
      stream ??= await this.options.stt.startStream(decoder.rate);
      const final = await stream.end();
      stream = undefined;
      yield toStreamingResponse(final, true, decoder.durationSeconds);
    } catch (error) {
      throw toServiceError(error);
    } finally {
      stream?.abort();
      await iterator.return?.();
    }
  }

  serverInfo(): ServerInfo {
    return {
      sttEngine: this.options.stt.name,
      classifier: this.options.classifier.name,
      limits: { ...this.options.limits },
      version: this.options.version,
      pid: process.pid,
    };
  }

  private async injectedDelay(): Promise<void> {
    const burnUs = this.options.injectedCpuUs ?? 0;
    if (burnUs > 0) {
      const until = performance.now() + burnUs / 1000;
      while (performance.now() < until) {
        // Burning CPU on purpose.
      }
    }
    const delay = this.options.injectedDelayMs ?? 0;
    if (delay > 0) await sleep(delay);
  }

  private runClassifier(
    text: string,
    request: { candidateLabels: string[]; multiLabel: boolean; hypothesisTemplate: string },
  ): ClassifyResponse | Promise<ClassifyResponse> {
    return this.options.classifier.classify(text, request.candidateLabels, {
      multiLabel: request.multiLabel,
      hypothesisTemplate: request.hypothesisTemplate,
    });
  }
}

function toStreamingResponse(
  transcription: Transcription,
  isFinal: boolean,
  audioDuration: number,
): StreamingTranscribeResponse {
  return {
    transcript: transcription.transcript,
    isFinal,
    audioDuration,
    words: transcription.words.map(toWordInfo),
    confidence: transcription.confidence,
  };
}
