import { describe, expect, it } from 'vitest';
import { lightStem } from './light-stem.js';
import { fallbackPieces, stripAccents, tokenize } from './tokenizer.js';

describe('tokenize', () => {
  it('lowercases and keeps inner hyphens and apostrophes', () => {
    expect(tokenize("Don't turn OFF the Wi-Fi, it's 6:30!")).toEqual([
      "don't",
      'turn',
      'off',
      'the',
      'wi-fi',
      "it's",
      '6',
      '30',
    ]);
  });

  it('normalises typographic apostrophes and compatibility characters', () => {
    expect(tokenize('I’m ＰＬＡＹＩＮＧ')).toEqual(["i'm", 'playing']);
  });

  it('handles unicode letters, emoji and empty input', () => {
    expect(tokenize('Café 😀 Москва 東京')).toEqual(['café', 'москва', '東京']);
    expect(tokenize('')).toEqual([]);
    expect(tokenize('!!! ---')).toEqual([]);
  });
});

describe('fallbackPieces', () => {
  it('splits contractions and compounds as the embedding vocabulary does', () => {
    expect(fallbackPieces("don't")).toEqual(['do', "n't"]);
    expect(fallbackPieces("john's")).toEqual(['john', "'s"]);
    expect(fallbackPieces('wi-fi')).toEqual(['wi', 'fi']);
    expect(fallbackPieces('music')).toEqual(['music']);
  });

  it('strips accents', () => {
    expect(stripAccents('café naïve')).toBe('cafe naive');
  });
});

describe('lightStem', () => {
  it('maps a word and its derivations to one stem', () => {
    expect(lightStem('messaging')).toBe(lightStem('message'));
    expect(lightStem('navigation')).toBe(lightStem('navigate'));
    expect(lightStem('shopping')).toBe(lightStem('shop'));
    expect(lightStem('alarms')).toBe('alarm');
    expect(lightStem('dressing')).toBe('dress');
    expect(lightStem('go')).toBe('go');
  });
});
