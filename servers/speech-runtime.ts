import { createRequire } from 'node:module';
import type { Limits } from './core/limits.js';
import { SpeechService } from './core/speech-service.js';
import type { ClassifierChoice } from './engines/classify/classifier-choices.js';
import { selectClassifier } from './engines/classify/select-classifier.js';
import { type SttSelection, selectStt } from './engines/stt/select-stt.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export interface SpeechRuntime {
  /** One core instance: every protocol adapter in the process mounts this one. */
  readonly service: SpeechService;
  /** Why this STT engine serves, for the start-up message. */
  readonly sttWhy: string;
  close(): Promise<void>;
}

/** Builds the engines and the core they are injected into. */
export async function createSpeechRuntime(
  stt: SttSelection,
  limits: Limits,
  options: {
    readonly injectedDelayMs?: number;
    readonly injectedCpuUs?: number;
    readonly classifier?: ClassifierChoice;
  } = {},
): Promise<SpeechRuntime> {
  const { injectedDelayMs = 0, injectedCpuUs = 0, classifier: classifierChoice = 'words' } = options;
  const [classifier, selected] = await Promise.all([selectClassifier(classifierChoice), selectStt(stt)]);
  const service = new SpeechService({
    stt: selected.engine,
    classifier,
    limits,
    version,
    injectedDelayMs,
    injectedCpuUs,
  });
  const close = async () => {
    await Promise.all([selected.engine.close(), classifier.close?.()]);
  };
  return { service, sttWhy: selected.why, close };
}
