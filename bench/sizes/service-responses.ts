/**
 * Responses are not invented: the service core answers the corpus requests with
 * the engines a `serve --stt reference` process uses. The reference engine returns
 * the corpus transcript with evenly spread word timings (confidence 1), the
 * embedding classifier real scores.
 */

import type {
  ClassifyResponse,
  TranscribeAndClassifyResponse,
  TranscribeResponse,
} from '../../proto/gen/speech/v1/speech.js';
import { defaultLimits } from '../../servers/core/limits.js';
import { createSpeechRuntime } from '../../servers/speech-runtime.js';
import { loadReferenceClips } from '../corpus/reference-clips.js';
import type { CorpusRequests } from './corpus-requests.js';

export interface ServiceResponses {
  readonly classifyShort: ClassifyResponse;
  readonly classifyLong: ClassifyResponse;
  readonly transcribe3s: TranscribeResponse;
  readonly transcribe30s: TranscribeResponse;
  readonly pipeline3s: TranscribeAndClassifyResponse;
  /** The STT engine that answered (always `reference`). */
  readonly sttEngine: string;
}

export async function answerCorpusRequests(requests: CorpusRequests): Promise<ServiceResponses> {
  const runtime = await createSpeechRuntime(
    { choice: 'reference', realTimeFactor: 0, referenceClips: loadReferenceClips },
    defaultLimits,
  );
  try {
    const { service } = runtime;
    return {
      classifyShort: await service.classify(requests.classifyShort),
      classifyLong: await service.classify(requests.classifyLong),
      transcribe3s: await service.transcribe(requests.transcribe3s),
      transcribe30s: await service.transcribe(requests.transcribe30s),
      pipeline3s: await service.transcribeAndClassify(requests.pipeline3s),
      sttEngine: service.serverInfo().sttEngine,
    };
  } finally {
    await runtime.close();
  }
}
