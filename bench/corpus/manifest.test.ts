import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIntentLabels, loadIntents } from './intents.js';
import {
  type CorpusClip,
  clipPath,
  corpusDir,
  loadManifest,
  parseManifest,
  readClipAudio,
  readClipSamples,
  WAV_HEADER_BYTES,
} from './manifest.js';

const MAX_CORPUS_BYTES = 15 * 1024 * 1024;
const manifest = loadManifest();
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const byKind = (kind: CorpusClip['kind']): CorpusClip[] => manifest.clips.filter((c) => c.kind === kind);

function totalBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? totalBytes(path) : statSync(path).size;
  }
  return total;
}

describe('corpus manifest', () => {
  it('has the expected top-level shape', () => {
    expect(manifest.version).toBe(1);
    expect(manifest.sampleRateHertz).toBe(16000);
    expect(manifest.encoding).toBe('WAV');
  });

  it.each(manifest.clips.map((c) => [c.id, c] as const))(
    '%s: file, hashes, header and duration',
    (_id, clip) => {
      expect(existsSync(clipPath(clip))).toBe(true);
      const wav = readClipAudio(clip);
      expect(sha256(wav)).toBe(clip.sha256);
      expect(sha256(wav.subarray(WAV_HEADER_BYTES))).toBe(clip.pcmSha256);

      // Canonical 44-byte header: RIFF/WAVE, 16-byte PCM fmt chunk, mono 16 kHz 16-bit, then data.
      expect(wav.toString('latin1', 0, 4)).toBe('RIFF');
      expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
      expect(wav.toString('latin1', 8, 12)).toBe('WAVE');
      expect(wav.toString('latin1', 12, 16)).toBe('fmt ');
      expect(wav.readUInt32LE(16)).toBe(16);
      expect(wav.readUInt16LE(20)).toBe(1); // WAVE_FORMAT_PCM
      expect(wav.readUInt16LE(22)).toBe(1); // mono
      expect(wav.readUInt32LE(24)).toBe(16000);
      expect(wav.readUInt32LE(28)).toBe(32000); // byte rate
      expect(wav.readUInt16LE(32)).toBe(2); // block align
      expect(wav.readUInt16LE(34)).toBe(16);
      expect(wav.toString('latin1', 36, 40)).toBe('data');
      expect(wav.readUInt32LE(40)).toBe(wav.length - WAV_HEADER_BYTES);
      expect((wav.length - WAV_HEADER_BYTES) % 2).toBe(0);

      const samples = (wav.length - WAV_HEADER_BYTES) / 2;
      expect(clip.durationSeconds).toBe(Math.round(samples / 16) / 1000);
    },
  );

  it('has at least 60 command clips over at least 6 labels, matching intents.json', () => {
    const commands = byKind('command');
    expect(commands.length).toBeGreaterThanOrEqual(60);
    expect(new Set(commands.map((c) => c.label)).size).toBeGreaterThanOrEqual(6);
    const intents = new Map(loadIntents().map((i) => [i.text, i]));
    const labels = loadIntentLabels();
    for (const clip of [...commands, ...byKind('noisy'), ...byKind('short3s')]) {
      const intent = intents.get(clip.text);
      expect(intent, `${clip.id} text is not a command of intents.json`).toBeDefined();
      expect(clip.label).toBe(intent?.label);
      expect(clip.split).toBe(intent?.split);
      expect(labels).toContain(clip.label);
    }
    // Every command of intents.json is spoken exactly once as a clean command.
    expect(commands.map((c) => c.text).sort()).toEqual([...intents.keys()].sort());
  });

  it('uses at least two voices', () => {
    expect(new Set(byKind('command').map((c) => c.voice)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(manifest.clips.map((c) => c.voice)).size).toBeGreaterThanOrEqual(2);
  });

  it('has noisy variants', () => {
    expect(byKind('noisy').length).toBeGreaterThanOrEqual(5);
  });

  it('has long clips of 20 to 60 s, including one of about 30 s, without labels', () => {
    const long = byKind('long');
    expect(long.length).toBeGreaterThanOrEqual(3);
    for (const clip of long) {
      expect(clip.durationSeconds).toBeGreaterThanOrEqual(20);
      expect(clip.durationSeconds).toBeLessThanOrEqual(60);
      expect(clip.label).toBeNull();
      expect(clip.split).toBe('dev');
      expect(clip.text.split(' ').length).toBeGreaterThan(40);
    }
    expect(long.some((c) => Math.abs(c.durationSeconds - 30) <= 2)).toBe(true);
  });

  it('has a clip of about 3 s', () => {
    const short = byKind('short3s');
    expect(short.length).toBeGreaterThanOrEqual(1);
    for (const clip of short) expect(Math.abs(clip.durationSeconds - 3)).toBeLessThanOrEqual(0.5);
  });

  it('reads samples', () => {
    const clip = byKind('short3s')[0]!;
    const samples = readClipSamples(clip);
    expect(samples.length).toBe(Math.round(clip.durationSeconds * 16000));
    expect(samples.some((s) => Math.abs(s) > 1000)).toBe(true);
  });

  it('lists every wav file in audio/ and nothing else', () => {
    const files = readdirSync(join(corpusDir, 'audio')).sort();
    expect(files).toEqual(manifest.clips.map((c) => `${c.id}.wav`).sort());
  });

  it('stays under 15 MB in total', () => {
    expect(totalBytes(corpusDir)).toBeLessThan(MAX_CORPUS_BYTES);
  });
});

describe('manifest validation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corpus-manifest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const good = JSON.parse(JSON.stringify(manifest)) as { clips: Record<string, unknown>[] } & Record<
    string,
    unknown
  >;
  const withClip = (patch: Record<string, unknown>) => ({
    ...good,
    clips: [{ ...good.clips[0], ...patch }, ...good.clips.slice(1)],
  });

  it('accepts the committed manifest', () => {
    expect(parseManifest(good).clips.length).toBe(manifest.clips.length);
  });

  it.each([
    ['wrong version', { ...good, version: 2 }, /version: expected 1/],
    ['unknown top-level field', { ...good, extra: true }, /unknown field "extra"/],
    ['missing clips', { version: 1, sampleRateHertz: 16000, encoding: 'WAV' }, /missing field "clips"/],
    ['bad sha256', withClip({ sha256: 'abc' }), /clips\[0\] \(.*\)\.sha256/],
    ['bad kind', withClip({ kind: 'music' }), /clips\[0\] \(.*\)\.kind: expected one of/],
    ['bad text', withClip({ text: 'Turn on the lights.' }), /\.text: .* does not match/],
    ['file not matching id', withClip({ file: 'audio/other.wav' }), /\.file: expected "audio\//],
    ['missing duration', withClip({ durationSeconds: undefined }), /missing field "durationSeconds"/],
    ['unsorted ids', { ...good, clips: [...good.clips].reverse() }, /ids must be sorted/],
  ])('rejects %s', (_name, data, message) => {
    const file = join(dir, 'manifest.json');
    writeFileSync(file, JSON.stringify(data));
    expect(() => loadManifest(dir)).toThrow(message);
  });

  it('rejects a missing manifest with a hint', () => {
    expect(() => loadManifest(join(dir, 'nowhere'))).toThrow(/make-corpus/);
  });
});
