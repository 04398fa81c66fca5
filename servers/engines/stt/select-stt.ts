import type { SpeechToText } from '../../core/engines.js';
import { ServiceError } from '../../core/service-error.js';
import { type ReferenceClip, ReferenceEngine } from './reference/reference-engine.js';

export const sttChoices = ['auto', 'sphinx', 'reference'] as const;
export type SttChoice = (typeof sttChoices)[number];

export interface SttSelection {
  readonly choice: SttChoice;
  /** CPU seconds the reference engine spends per second of audio. */
  readonly realTimeFactor: number;
  /** The reference engine's CPU burn rate, measured once for every server of a run (CpuBurner). */
  readonly burnRate?: number;
  /** The corpus, for the reference engine; read only when that engine is chosen. */
  readonly referenceClips: () => readonly ReferenceClip[];
  /** Decoders in the sphinx pool; the pool's default when absent. */
  readonly decoders?: number;
}

export interface SelectedStt {
  readonly engine: SpeechToText;
  /** Why this engine, in a sentence for the start-up message. */
  readonly why: string;
}

/**
 * `auto` takes the real recognizer where its Debian packages are installed and
 * the reference control otherwise, and says which; naming an engine that cannot
 * run is an error that says how to install it.
 */
export async function selectStt(selection: SttSelection): Promise<SelectedStt> {
  const reference = (why: string): SelectedStt => ({
    engine: new ReferenceEngine({
      clips: selection.referenceClips(),
      realTimeFactor: selection.realTimeFactor,
      ...(selection.burnRate === undefined ? {} : { burnRate: selection.burnRate }),
    }),
    why,
  });
  if (selection.choice === 'reference')
    return reference('chosen with --stt reference (a measurement control)');
  // Loaded only when wanted: the reference control must run where the native part never built.
  const { checkSphinxAvailability } = await import('./sphinx/availability.js');
  const sphinx = checkSphinxAvailability();
  if (!sphinx.available) {
    if (selection.choice === 'sphinx') {
      throw new ServiceError(
        'FAILED_PRECONDITION',
        `the sphinx engine is unavailable: ${sphinx.reason}. Install it with: ${sphinx.installCommand}`,
        'ENGINE_UNAVAILABLE',
      );
    }
    return reference(
      `auto: PocketSphinx is unavailable (${sphinx.reason}), so the reference control serves; install with: ${sphinx.installCommand}`,
    );
  }
  const { SphinxEngine } = await import('./sphinx/sphinx-engine.js');
  const engine = await SphinxEngine.create(
    selection.decoders === undefined ? {} : { poolSize: selection.decoders },
  );
  return {
    engine,
    why: selection.choice === 'auto' ? 'auto: PocketSphinx is installed' : 'chosen with --stt sphinx',
  };
}
