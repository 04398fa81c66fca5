/**
 * Payloads of set sizes for message-size sweeps (`sizes:` on a scenario): audio of
 * 0.5 to 60 s cut from the corpus's recordings laid end to end, and classify texts from
 * one command to 4 KB made of the corpus's commands. The servers' reference engine knows
 * every sized clip (reference-clips.ts), so the sweep measures the protocol, not the engine.
 */
import { loadIntents } from './intents.js';
import {
  type CorpusClip,
  loadManifest,
  readClipAudio,
  readClipSamples,
  WAV_HEADER_BYTES,
} from './manifest.js';

export const audioSizes = ['0.5s', '1s', '3s', '10s', '30s', '60s'] as const;
export const textSizes = ['command', '256B', '1KB', '4KB'] as const;
export type AudioSize = (typeof audioSizes)[number];
export type TextSize = (typeof textSizes)[number];
export type PayloadSize = AudioSize | TextSize;

export function isAudioSize(size: string): size is AudioSize {
  return (audioSizes as readonly string[]).includes(size);
}

export interface SizedClip {
  readonly id: string;
  /** The texts of the corpus clips it was cut from: what the reference engine answers. */
  readonly text: string;
  readonly samples: Int16Array;
  /** The clip as a 16 kHz, 16-bit mono WAV file. */
  readonly wav: Buffer;
}

const cache = new Map<AudioSize, SizedClip>();

/**
 * Where a sized clip starts in the corpus laid end to end: a quarter second in, so that its
 * first half second (how the reference engine recognises a stream early) is no corpus clip's.
 */
const offsetSeconds = 0.25;

/** Corpus clips in manifest order, laid end to end (and again), cut from a quarter second in to `size`. */
export function sizedClip(size: AudioSize): SizedClip {
  const known = cache.get(size);
  if (known) return known;
  const manifest = loadManifest();
  const offset = offsetSeconds * manifest.sampleRateHertz;
  const wanted = Math.round(Number.parseFloat(size) * manifest.sampleRateHertz) + offset;
  const laid = new Int16Array(wanted);
  const texts: string[] = [];
  let filled = 0;
  for (let i = 0; filled < wanted; i = (i + 1) % manifest.clips.length) {
    const clip = manifest.clips[i]!;
    const part = readClipSamples(clip).subarray(0, wanted - filled);
    laid.set(part, filled);
    filled += part.length;
    texts.push(clip.text);
  }
  const samples = laid.subarray(offset);
  const clip = {
    id: `sized-${size}`,
    text: texts.join(' '),
    samples,
    wav: wavOf(manifest.clips[0]!, samples),
  };
  cache.set(size, clip);
  return clip;
}

/** A corpus clip's 44-byte header with the lengths of `samples`. */
function wavOf(template: CorpusClip, samples: Int16Array): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const header = Buffer.from(readClipAudio(template).subarray(0, WAV_HEADER_BYTES));
  header.writeUInt32LE(WAV_HEADER_BYTES - 8 + data.length, 4);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** One command, or the corpus's commands joined by ". " and cut to exactly that many bytes. */
export function sizedText(size: TextSize): string {
  const commands = loadIntents().map((intent) => intent.text);
  if (size === 'command') return commands[0]!;
  const bytes = size === '256B' ? 256 : size === '1KB' ? 1024 : 4096;
  let text = '';
  for (let i = 0; text.length < bytes; i = (i + 1) % commands.length) text += `${commands[i]}. `;
  return text.slice(0, bytes);
}
