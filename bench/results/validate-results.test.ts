import { describe, expect, it } from 'vitest';
import { makeResults } from '../../test/reports/fixtures/make-results.js';
import type { Results } from './results-types.js';
import { resultsProblems } from './validate-results.js';

/** The fixture with a byte breakdown on its first repetition, `read` off by `readOff` bytes. */
function withBreakdown(readOff: number): unknown {
  const document = JSON.parse(JSON.stringify(makeResults())) as Results;
  const repetition = document.scenarios[0]!.repetitions[0]!;
  const { written, read } = repetition.bytes;
  const parts = (total: number) => ({ body: total - 300, framing: 100, headers: 150, control: 50 });
  Object.assign(repetition, {
    bytes: { written, read, breakdown: { written: parts(written), read: parts(read + readOff) } },
  });
  return document;
}

describe('results validation of the byte breakdown', () => {
  it('accepts a breakdown whose parts add up to the bytes', () => {
    expect(resultsProblems(withBreakdown(0))).toEqual([]);
  });

  it('names a breakdown that does not add up', () => {
    expect(resultsProblems(withBreakdown(7))).toEqual([
      expect.stringMatching(/repetition 0: bytes read by part add up to \d+, not \d+$/),
    ]);
  });
});
