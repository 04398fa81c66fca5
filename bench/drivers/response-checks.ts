/**
 * What a right answer looks like, checked on a sample of answers so that a benchmark
 * never reports the speed of errors or of empty bodies.
 */
import type { ClassifyResponse, TranscribeResponse } from '../../proto/gen/speech/v1/speech.js';

/** Single-label zero-shot scores are a softmax: they sum to 1 up to float error. */
const scoreSumTolerance = 1e-3;

export function checkClassification(
  response: ClassifyResponse,
  labels: readonly string[],
): string | undefined {
  const { labels: got, scores } = response;
  if (got.length !== labels.length || scores.length !== labels.length) {
    return `expected ${labels.length} labels and scores, got ${got.length} and ${scores.length}`;
  }
  const expected = new Set(labels);
  if (new Set(got).size !== got.length || !got.every((label) => expected.has(label))) {
    return `labels ${JSON.stringify(got)} are not a permutation of the candidates`;
  }
  for (let i = 1; i < scores.length; i++) {
    if (scores[i]! > scores[i - 1]!) return `scores are not sorted best first: ${JSON.stringify(scores)}`;
  }
  const sum = scores.reduce((total, score) => total + score, 0);
  if (Math.abs(sum - 1) > scoreSumTolerance) return `scores sum to ${sum}, not 1`;
  return undefined;
}

/**
 * The reference engine answers the corpus text exactly; a real recogniser may not,
 * so for it only the shape is checked.
 */
export function checkTranscription(response: TranscribeResponse, text: string): string | undefined {
  if (response.engine === 'reference') {
    return response.transcript === text
      ? undefined
      : `transcript ${JSON.stringify(response.transcript)} is not ${JSON.stringify(text)}`;
  }
  if (!response.engine) return 'the answer names no engine';
  return response.audioDuration > 0 ? undefined : 'the answer reports no audio decoded';
}
