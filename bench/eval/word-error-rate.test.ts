import { describe, expect, it } from 'vitest';
import { corpusWordErrorRate, normalizeWords, wordErrors } from './word-error-rate.js';

describe('word error rate', () => {
  it('normalizes case and punctuation', () => {
    expect(normalizeWords("Turn ON the lights, please! It's late.")).toEqual([
      'turn',
      'on',
      'the',
      'lights',
      'please',
      "it's",
      'late',
    ]);
  });

  it('counts substitutions, deletions and insertions', () => {
    expect(wordErrors('turn on the kitchen lights', 'turn on the kitchen lights')).toMatchObject({
      substitutions: 0,
      deletions: 0,
      insertions: 0,
      referenceWords: 5,
    });
    expect(wordErrors('turn on the kitchen lights', 'turn of the kitchen lights')).toMatchObject({
      substitutions: 1,
    });
    expect(wordErrors('turn on the kitchen lights', 'turn the kitchen lights')).toMatchObject({
      deletions: 1,
    });
    expect(wordErrors('turn on the lights', 'turn on all the lights now')).toMatchObject({ insertions: 2 });
    expect(wordErrors('a b c', '')).toMatchObject({ deletions: 3 });
    expect(wordErrors('', 'a b')).toMatchObject({ insertions: 2, referenceWords: 0 });
  });

  it('pools errors over the corpus', () => {
    const errors = [wordErrors('a b c d', 'a x c d'), wordErrors('e f', 'e f g h')];
    expect(corpusWordErrorRate(errors)).toBeCloseTo(3 / 6, 10);
    expect(corpusWordErrorRate([])).toBe(0);
  });
});
