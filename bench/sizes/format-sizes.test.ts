import { describe, expect, it } from 'vitest';
import { formatNs, wrapNote } from './format-sizes.js';

describe('format-sizes', () => {
  it('picks a unit per magnitude', () => {
    expect([
      formatNs(412.4),
      formatNs(3_210),
      formatNs(22_150),
      formatNs(3_430_000),
      formatNs(12_300_000),
    ]).toEqual(['412 ns', '3.21 µs', '22.1 µs', '3.43 ms', '12.3 ms']);
  });

  it('wraps a note as a list item with a hanging indent, keeping every word', () => {
    const note = 'one two three four five six seven eight nine ten';
    const lines = wrapNote(note, 16);
    expect(lines[0]).toBe('- one two three');
    expect(lines.slice(1).every((l) => l.startsWith('  ') && l.length <= 16)).toBe(true);
    expect(lines.join(' ').replace(/^- /, '').split(/\s+/).join(' ')).toBe(note);
  });
});
