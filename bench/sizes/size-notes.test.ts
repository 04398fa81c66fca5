import { describe, expect, it } from 'vitest';
import type { MessageSizes } from './message-sizes.js';
import { sizeNotes } from './size-notes.js';
import { formatChange, sizeVerdict } from './size-verdict.js';

function sizes(protobuf: number, json: number, gzipProtobuf = protobuf, gzipJson = json): MessageSizes {
  return {
    protobuf,
    json,
    gzipProtobuf,
    gzipJson,
    protobufSaving: 1 - protobuf / json,
    gzipProtobufSaving: 1 - gzipProtobuf / gzipJson,
  };
}

describe('size verdict', () => {
  it('holds from exactly 30% smaller', () => {
    expect(sizeVerdict(sizes(70, 100, 80, 100))).toEqual({ holds: true, holdsGzipped: false });
    expect(sizeVerdict(sizes(71, 100))).toEqual({ holds: false, holdsGzipped: false });
  });

  it('formats smaller as minus and larger as plus', () => {
    expect(formatChange(0.58)).toBe('-58%');
    expect(formatChange(-0.12)).toBe('+12%');
    expect(formatChange(0.001)).toBe('±0%');
  });

  it('says per kind of payload where the claim holds, with the measured range', () => {
    const notes = sizeNotes([
      { id: 'a', direction: 'response', payload: 'floats', sizes: sizes(40, 100, 90, 100) },
      { id: 'b', direction: 'response', payload: 'floats', sizes: sizes(80, 100, 95, 100) },
      { id: 'c', direction: 'request', payload: 'audio bytes', sizes: sizes(75, 100, 94, 100) },
    ]);
    expect(notes).toHaveLength(3);
    expect(notes[0]).toMatch(
      /^audio bytes \(request c\): the 30% does not hold; protobuf vs JSON -25%, gzipped -6%/,
    );
    expect(notes[1]).toMatch(/^floats .*: the 30% holds for response a only; protobuf vs JSON -60% to -20%/);
    expect(notes[2]).toMatch(
      /^gzip on both sides: the 30% holds for 0 of 3 messages \(protobuf vs JSON -10% to -5%\)/,
    );
    expect(notes[2]).toMatch(/response a goes from 40 to 90 bytes \(protobuf\), 100 to 100 \(JSON\)\.$/);
  });
});
