import type { TranscribeResponse, WordInfo } from '../../proto/gen/speech/v1/speech.js';
import type { Transcription, WordTiming } from './engines.js';

export function toWordInfo(word: WordTiming): WordInfo {
  return {
    word: word.word,
    startTime: word.startSeconds,
    endTime: word.endSeconds,
    confidence: word.confidence,
  };
}

export function toTranscribeResponse(transcription: Transcription, engine: string): TranscribeResponse {
  return {
    transcript: transcription.transcript,
    confidence: transcription.confidence,
    audioDuration: transcription.audioDurationSeconds,
    words: transcription.words.map(toWordInfo),
    engine,
  };
}
