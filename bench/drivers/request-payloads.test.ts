import { describe, expect, it } from 'vitest';
import {
  ClassifyRequest,
  ClassifyResponse,
  TranscribeAndClassifyRequest,
  type TranscribeResponse,
} from '../../proto/gen/speech/v1/speech.js';
import { loadIntentLabels } from '../corpus/intents.js';
import { loadManifest, readClipAudio } from '../corpus/manifest.js';
import { buildRequestPayload } from './request-payloads.js';
import { checkClassification, checkTranscription } from './response-checks.js';

const labels = [...loadIntentLabels()];

describe('buildRequestPayload', () => {
  it('classify: a command and the 7 intent labels, in every encoding alike', () => {
    const payload = buildRequestPayload({ rpc: 'classify' });
    const message = payload.message as ClassifyRequest;
    expect(message.candidateLabels).toEqual(labels);
    expect(message.text).toMatch(/^[a-z ]+$/);
    expect(ClassifyRequest.decode(payload.protobuf)).toEqual(message);
    expect(payload.grpcFrame[0]).toBe(0);
    expect(payload.grpcFrame.readUInt32BE(1)).toBe(payload.protobuf.length);
    expect(payload.grpcFrame.subarray(5)).toEqual(payload.protobuf);
    expect(ClassifyRequest.fromJSON(JSON.parse(payload.jsonBody.toString()))).toEqual(message);
    expect(payload.grpcPath).toBe('/speech.v1.SpeechService/Classify');
    expect(payload.restPath).toBe('/v1/classify');
    expect(payload.rawWav).toBeUndefined();
  });

  it('transcribe: the first short3s clip by default, the WAV itself as the raw body', () => {
    const payload = buildRequestPayload({ rpc: 'transcribe' });
    const clip = loadManifest().clips.find((c) => c.kind === 'short3s')!;
    expect(payload.description).toBe(`transcribe ${clip.id}`);
    expect(payload.rawWav?.body).toEqual(readClipAudio(clip));
    expect(payload.rawWav?.path).toBe('/v1/transcribe?encoding=WAV&sampleRateHertz=16000&languageCode=en-US');
    expect(JSON.parse(payload.jsonBody.toString()).audio).toBe(readClipAudio(clip).toString('base64'));
  });

  it('transcribe-and-classify: audio and labels, labels in the raw form query too', () => {
    const payload = buildRequestPayload({ rpc: 'transcribe-and-classify', clipKind: 'command' });
    const message = TranscribeAndClassifyRequest.decode(payload.protobuf);
    expect(message.candidateLabels).toEqual(labels);
    expect(payload.rawWav?.path).toContain('candidateLabels=smart%20home');
  });

  it('refuses a clip that does not exist', () => {
    expect(() => buildRequestPayload({ rpc: 'transcribe', clipId: 'no-such-clip' })).toThrow(
      /no corpus clip/,
    );
  });

  it('checks answers in both encodings', () => {
    const payload = buildRequestPayload({ rpc: 'classify' });
    const scores = [0.4, 0.2, 0.15, 0.1, 0.08, 0.05, 0.02];
    const right: ClassifyResponse = { labels: [...labels].reverse(), scores };
    expect(payload.checkProtobuf(ClassifyResponse.encode(right).finish())).toBeUndefined();
    expect(payload.checkJson(JSON.stringify(ClassifyResponse.toJSON(right)))).toBeUndefined();
    expect(payload.checkJson('not json')).toMatch(/does not decode/);
    expect(payload.checkProtobuf(Buffer.from([0xff, 0xff, 0xff]))).toMatch(/does not decode/);
  });
});

describe('answer checks', () => {
  const scores = [0.4, 0.2, 0.15, 0.1, 0.08, 0.05, 0.02];

  it('classification: all the labels, best first, scores summing to 1', () => {
    expect(checkClassification({ labels, scores }, labels)).toBeUndefined();
    expect(checkClassification({ labels: labels.slice(1), scores: scores.slice(1) }, labels)).toMatch(
      /expected 7/,
    );
    expect(checkClassification({ labels: [...labels.slice(1), 'other'], scores }, labels)).toMatch(
      /permutation/,
    );
    expect(checkClassification({ labels, scores: [...scores].reverse() }, labels)).toMatch(/sorted/);
    expect(checkClassification({ labels, scores: scores.map((s) => s / 2) }, labels)).toMatch(/sum/);
  });

  it('transcription: the exact text from the reference engine, a plausible answer from others', () => {
    const base: TranscribeResponse = {
      transcript: 'lock the door',
      confidence: 1,
      audioDuration: 2,
      words: [],
      engine: 'reference',
    };
    expect(checkTranscription(base, 'lock the door')).toBeUndefined();
    expect(checkTranscription({ ...base, transcript: 'lock the floor' }, 'lock the door')).toMatch(/is not/);
    expect(
      checkTranscription({ ...base, engine: 'sphinx', transcript: 'lock a floor' }, 'lock the door'),
    ).toBe(undefined);
    expect(checkTranscription({ ...base, engine: '' }, 'lock the door')).toMatch(/no engine/);
  });
});
