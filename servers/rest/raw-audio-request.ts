import { AudioEncoding, type RecognitionConfig } from '../../proto/gen/speech/v1/speech.js';
import type { RawAudioQuery } from './json-schemas.js';

const wavContentTypes = new Set(['audio/wav', 'audio/x-wav', 'audio/wave']);

/** The config of a raw-audio request: from the query, with the content type naming the container. */
export function configFromQuery(query: RawAudioQuery, contentType: string | undefined): RecognitionConfig {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const named = query.encoding ? AudioEncoding[query.encoding] : undefined;
  return {
    encoding:
      named ??
      (wavContentTypes.has(mediaType) ? AudioEncoding.WAV : AudioEncoding.AUDIO_ENCODING_UNSPECIFIED),
    sampleRateHertz: query.sampleRateHertz === undefined ? 0 : Number(query.sampleRateHertz),
    languageCode: query.languageCode ?? '',
  };
}

export function labelsFromQuery(query: RawAudioQuery): string[] {
  const labels = query.candidateLabels;
  if (labels === undefined) return [];
  return typeof labels === 'string' ? [labels] : labels;
}

export const rawAudioContentTypes = ['audio/wav', 'audio/x-wav', 'audio/wave', 'application/octet-stream'];
