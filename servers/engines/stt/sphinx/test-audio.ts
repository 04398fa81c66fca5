/** Test helpers: speech synthesized on the fly, the corpus when present, and word error rate. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PcmAudio } from '../../../core/engines.js';

export function canSynthesize(): boolean {
  const ok = (command: string, args: string[]): boolean =>
    spawnSync(command, args, { stdio: 'ignore' }).status === 0;
  return ok('flite', ['-lv']) && ok('sox', ['--version']);
}

/** Reads a WAV with the canonical 44-byte header and 16-bit mono PCM, as sox -t wavpcm writes it. */
export function parseWav(bytes: Buffer): PcmAudio {
  const tag = (offset: number): string => bytes.toString('ascii', offset, offset + 4);
  if (
    bytes.length < 44 ||
    tag(0) !== 'RIFF' ||
    tag(8) !== 'WAVE' ||
    tag(12) !== 'fmt ' ||
    tag(36) !== 'data'
  ) {
    throw new Error('not a canonical 44-byte-header WAV');
  }
  if (bytes.readUInt16LE(20) !== 1 || bytes.readUInt16LE(22) !== 1 || bytes.readUInt16LE(34) !== 16) {
    throw new Error('not 16-bit mono PCM');
  }
  const dataBytes = Math.min(bytes.readUInt32LE(40), bytes.length - 44);
  const samples = new Int16Array(dataBytes >> 1);
  for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(44 + 2 * i);
  return { samples, sampleRateHertz: bytes.readUInt32LE(24) };
}

/** flite speaks the text; sox makes it 16 kHz mono PCM16. */
export function synthesize(text: string, voice = 'slt'): PcmAudio {
  const dir = mkdtempSync(join(tmpdir(), 'sphinx-test-'));
  try {
    const spoken = join(dir, 'flite.wav');
    const converted = join(dir, 'speech.wav');
    execFileSync('flite', ['-voice', voice, '-t', text, '-o', spoken]);
    execFileSync('sox', [
      spoken,
      '-t',
      'wavpcm',
      '-r',
      '16000',
      '-c',
      '1',
      '-b',
      '16',
      '-e',
      'signed-integer',
      converted,
    ]);
    return parseWav(readFileSync(converted));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function concatenate(...parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z']+/)
    .filter((word) => word !== '');
}

/** Word-level edit distance between the two texts. */
export function wordErrors(reference: string, hypothesis: string): { errors: number; words: number } {
  const ref = words(reference);
  const hyp = words(hypothesis);
  let previous = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const current = [i];
    for (let j = 1; j <= hyp.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return { errors: previous[hyp.length] ?? 0, words: ref.length };
}

export function wordErrorRate(reference: string, hypothesis: string): number {
  const { errors, words } = wordErrors(reference, hypothesis);
  return words === 0 ? 0 : errors / words;
}

export interface CorpusClip {
  readonly id: string;
  readonly text: string;
  readonly kind: string;
  /** The intent label, for clips that carry one (commands); null for dictation. */
  readonly label: string | null;
  readonly audio: PcmAudio;
}

const manifestPath = fileURLToPath(new URL('../../../../bench/corpus/manifest.json', import.meta.url));

/** The committed corpus (bench/corpus), or nothing if it has not been generated. */
export function loadCorpus(): CorpusClip[] {
  if (!existsSync(manifestPath)) return [];
  const manifest: unknown = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (
    typeof manifest !== 'object' ||
    manifest === null ||
    !('clips' in manifest) ||
    !Array.isArray(manifest.clips)
  ) {
    return [];
  }
  const clips: CorpusClip[] = [];
  for (const clip of manifest.clips as unknown[]) {
    if (typeof clip !== 'object' || clip === null) continue;
    const { id, file, text, kind, label } = clip as Record<string, unknown>;
    if (typeof id !== 'string' || typeof file !== 'string' || typeof text !== 'string') continue;
    const path = join(manifestPath, '..', file);
    if (!existsSync(path)) continue;
    clips.push({
      id,
      text,
      kind: typeof kind === 'string' ? kind : 'unknown',
      label: typeof label === 'string' ? label : null,
      audio: parseWav(readFileSync(path)),
    });
  }
  return clips;
}
