/** What one request may ask of the service; the same numbers bind every protocol. */
export interface Limits {
  readonly maxAudioBytes: number;
  readonly maxAudioSeconds: number;
  readonly maxTextChars: number;
  readonly maxLabels: number;
  readonly maxLabelChars: number;
}

const pcm16MonoBytesPerSecond = 16_000 * 2;
const wavHeaderBytes = 44;

export const defaultLimits: Limits = {
  // 60 s of 16 kHz PCM16 in a WAV container: about 1.9 MB.
  maxAudioBytes: 60 * pcm16MonoBytesPerSecond + wavHeaderBytes,
  maxAudioSeconds: 60,
  maxTextChars: 5_000,
  maxLabels: 100,
  maxLabelChars: 100,
};

/**
 * The largest encoded request a transport must accept so that the core, not the
 * transport, is the one to judge the limits: audio plus room for the other fields.
 * JSON carries bytes as base64, 4/3 of their size.
 */
export function transportMessageLimit(limits: Limits, encoding: 'binary' | 'base64'): number {
  const audio = encoding === 'base64' ? Math.ceil(limits.maxAudioBytes / 3) * 4 : limits.maxAudioBytes;
  const text = limits.maxTextChars * 4 + limits.maxLabels * (limits.maxLabelChars * 4 + 8);
  return audio + text + 64 * 1024;
}
