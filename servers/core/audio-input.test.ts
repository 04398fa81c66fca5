import { describe, expect, it } from 'vitest';
import { AudioEncoding } from '../../proto/gen/speech/v1/speech.js';
import { tone, wavBytes } from '../../test/support/wav-bytes.js';
import { decodeAudio, StreamingAudioDecoder } from './audio-input.js';
import { defaultLimits } from './limits.js';
import { ServiceError } from './service-error.js';

const rules = { limits: defaultLimits, sampleRatesHertz: [16_000] };
const wav = { encoding: AudioEncoding.WAV, sampleRateHertz: 0, languageCode: '' };
const linear16 = { encoding: AudioEncoding.LINEAR16, sampleRateHertz: 16_000, languageCode: 'en-US' };

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof ServiceError) return `${error.code}${error.reason ? `/${error.reason}` : ''}`;
    throw error;
  }
  return 'OK';
}

describe('decodeAudio', () => {
  const samples = tone(0.5);

  it('reads a WAV file and raw LINEAR16 to the same samples', () => {
    const fromWav = decodeAudio(wavBytes(samples), wav, rules);
    const raw = Buffer.from(samples.buffer);
    const fromRaw = decodeAudio(raw, linear16, rules);
    expect(fromWav.sampleRateHertz).toBe(16_000);
    expect(Array.from(fromWav.samples)).toEqual(Array.from(samples));
    expect(Array.from(fromRaw.samples)).toEqual(Array.from(samples));
  });

  it('treats an unspecified encoding as WAV', () => {
    expect(decodeAudio(wavBytes(samples), undefined, rules).samples.length).toBe(samples.length);
    expect(codeOf(() => decodeAudio(Buffer.from('not a wav file at all'), undefined, rules))).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('copies samples that are not 2-byte aligned', () => {
    const padded = Buffer.concat([Buffer.from([0]), Buffer.from(samples.buffer)]).subarray(1);
    expect(Array.from(decodeAudio(padded, linear16, rules).samples)).toEqual(Array.from(samples));
  });

  it.each([
    ['empty audio', Buffer.alloc(0), wav, 'INVALID_ARGUMENT'],
    ['garbage bytes', Buffer.from('garbage bytes, not RIFF'), wav, 'INVALID_ARGUMENT'],
    ['a truncated header', wavBytes(samples).subarray(0, 30), wav, 'INVALID_ARGUMENT'],
    ['truncated data', wavBytes(samples).subarray(0, 1000), wav, 'INVALID_ARGUMENT'],
    ['8 kHz audio', wavBytes(tone(0.5, 8000), { sampleRateHertz: 8000 }), wav, 'INVALID_ARGUMENT'],
    ['stereo audio', wavBytes(samples, { channels: 2 }), wav, 'INVALID_ARGUMENT'],
    ['8-bit audio', wavBytes(samples, { bitsPerSample: 8 }), wav, 'INVALID_ARGUMENT'],
    ['float audio', wavBytes(samples, { audioFormat: 3 }), wav, 'INVALID_ARGUMENT'],
    ['an odd number of PCM bytes', Buffer.alloc(101), linear16, 'INVALID_ARGUMENT'],
    ['LINEAR16 without a rate', Buffer.alloc(100), { ...linear16, sampleRateHertz: 0 }, 'INVALID_ARGUMENT'],
    [
      'a rate that contradicts the header',
      wavBytes(samples),
      { ...wav, sampleRateHertz: 8000 },
      'INVALID_ARGUMENT',
    ],
    ['an unsupported language', wavBytes(samples), { ...wav, languageCode: 'fr-FR' }, 'INVALID_ARGUMENT'],
    ['an unknown encoding', wavBytes(samples), { ...wav, encoding: 7 }, 'INVALID_ARGUMENT'],
    [
      'audio over the byte limit',
      Buffer.alloc(defaultLimits.maxAudioBytes + 2),
      linear16,
      'RESOURCE_EXHAUSTED/PAYLOAD_TOO_LARGE',
    ],
  ])('rejects %s', (_name, bytes, config, expected) => {
    expect(codeOf(() => decodeAudio(bytes, config, rules))).toBe(expected);
  });

  it('rejects audio over the duration limit', () => {
    const limits = { ...defaultLimits, maxAudioSeconds: 0.25 };
    expect(codeOf(() => decodeAudio(wavBytes(samples), wav, { ...rules, limits }))).toBe(
      'RESOURCE_EXHAUSTED/PAYLOAD_TOO_LARGE',
    );
  });
});

describe('StreamingAudioDecoder', () => {
  it('yields the same samples whatever the chunking, across header and odd splits', () => {
    const samples = tone(0.3);
    const bytes = wavBytes(samples);
    for (const size of [1, 3, 7, 44, 45, 1000, bytes.length]) {
      const decoder = new StreamingAudioDecoder(wav, rules);
      const out: number[] = [];
      for (let offset = 0; offset < bytes.length; offset += size) {
        out.push(...decoder.push(bytes.subarray(offset, offset + size)));
      }
      decoder.finish();
      expect(out).toEqual(Array.from(samples));
      expect(decoder.durationSeconds).toBeCloseTo(0.3, 5);
    }
  });

  it('rejects a stream without audio, a dangling odd byte, and a stream over the limit', () => {
    expect(codeOf(() => new StreamingAudioDecoder(wav, rules).finish())).toBe('INVALID_ARGUMENT');
    const odd = new StreamingAudioDecoder(linear16, rules);
    odd.push(Buffer.alloc(3));
    expect(codeOf(() => odd.finish())).toBe('INVALID_ARGUMENT');
    const limited = new StreamingAudioDecoder(linear16, {
      ...rules,
      limits: { ...defaultLimits, maxAudioSeconds: 0.01 },
    });
    expect(codeOf(() => limited.push(Buffer.alloc(16_000)))).toBe('RESOURCE_EXHAUSTED/PAYLOAD_TOO_LARGE');
    expect(codeOf(() => new StreamingAudioDecoder(wav, rules).push(Buffer.from('RIFX1234WAVE')))).toBe(
      'INVALID_ARGUMENT',
    );
  });
});
