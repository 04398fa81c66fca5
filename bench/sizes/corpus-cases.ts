/** The message types of the corpus, requests and real responses, as size cases. */
import {
  ClassifyRequest,
  ClassifyResponse,
  TranscribeAndClassifyRequest,
  TranscribeAndClassifyResponse,
  TranscribeRequest,
  TranscribeResponse,
} from '../../proto/gen/speech/v1/speech.js';
import { buildCorpusRequests } from './corpus-requests.js';
import { type MessageCase, messageCase } from './message-case.js';
import { answerCorpusRequests } from './service-responses.js';

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

export async function buildCorpusCases(): Promise<MessageCase[]> {
  const q = buildCorpusRequests();
  const r = await answerCorpusRequests(q);
  const labels = `${q.labels.length} labels`;
  const short = q.shortClip;
  const long = q.longClip;
  const wav = (clip: typeof short, bytes: number) =>
    `${clip.durationSeconds} s WAV ${clip.id} (${kib(bytes)})`;
  const classifyType = 'speech.v1.ClassifyRequest';
  return [
    messageCase({
      id: 'classify-short',
      direction: 'request',
      typeName: classifyType,
      description: `"${q.classifyShort.text}" + ${labels}`,
      payload: 'short strings',
      codec: ClassifyRequest,
      message: q.classifyShort,
    }),
    messageCase({
      id: 'classify-long',
      direction: 'request',
      typeName: classifyType,
      description: `${q.classifyLong.text.length}-char transcript of ${q.longestText.id} + ${labels}`,
      payload: 'long text',
      codec: ClassifyRequest,
      message: q.classifyLong,
    }),
    messageCase({
      id: 'transcribe-3s',
      direction: 'request',
      typeName: 'speech.v1.TranscribeRequest',
      description: wav(short, q.transcribe3s.audio.length),
      payload: 'audio bytes',
      codec: TranscribeRequest,
      message: q.transcribe3s,
    }),
    messageCase({
      id: 'transcribe-30s',
      direction: 'request',
      typeName: 'speech.v1.TranscribeRequest',
      description: wav(long, q.transcribe30s.audio.length),
      payload: 'audio bytes',
      codec: TranscribeRequest,
      message: q.transcribe30s,
    }),
    messageCase({
      id: 'pipeline-3s',
      direction: 'request',
      typeName: 'speech.v1.TranscribeAndClassifyRequest',
      description: `${wav(short, q.pipeline3s.audio.length)} + ${labels}`,
      payload: 'audio bytes',
      codec: TranscribeAndClassifyRequest,
      message: q.pipeline3s,
    }),
    messageCase({
      id: 'classify-short',
      direction: 'response',
      typeName: 'speech.v1.ClassifyResponse',
      description: `${r.classifyShort.labels.length} labels + ${r.classifyShort.scores.length} double scores`,
      payload: 'floats',
      codec: ClassifyResponse,
      message: r.classifyShort,
    }),
    messageCase({
      id: 'classify-long',
      direction: 'response',
      typeName: 'speech.v1.ClassifyResponse',
      description: `${r.classifyLong.labels.length} labels + ${r.classifyLong.scores.length} double scores`,
      payload: 'floats',
      codec: ClassifyResponse,
      message: r.classifyLong,
    }),
    messageCase({
      id: 'transcribe-3s',
      direction: 'response',
      typeName: 'speech.v1.TranscribeResponse',
      description: `${r.transcribe3s.words.length} words with 3 doubles each (${r.sttEngine} engine)`,
      payload: 'floats',
      codec: TranscribeResponse,
      message: r.transcribe3s,
    }),
    messageCase({
      id: 'transcribe-30s',
      direction: 'response',
      typeName: 'speech.v1.TranscribeResponse',
      description: `${r.transcribe30s.words.length} words with 3 doubles each (${r.sttEngine} engine)`,
      payload: 'floats',
      codec: TranscribeResponse,
      message: r.transcribe30s,
    }),
    messageCase({
      id: 'pipeline-3s',
      direction: 'response',
      typeName: 'speech.v1.TranscribeAndClassifyResponse',
      description: `transcription (${r.pipeline3s.transcription?.words.length ?? 0} words) + scores + timings`,
      payload: 'floats',
      codec: TranscribeAndClassifyResponse,
      message: r.pipeline3s,
    }),
  ];
}
