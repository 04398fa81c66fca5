/**
 * Splits text into lowercase word tokens the way the embedding vocabulary spells them.
 */

const APOSTROPHES = /[\u2018\u2019\u02bc`\u00b4]/g;
/** Letters and digits, optionally joined by inner hyphens or apostrophes ("wi-fi", "don't"). */
const TOKEN = /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;
const MARKS = /\p{M}+/gu;

export function tokenize(text: string): string[] {
  const normalised = text.normalize('NFKC').toLowerCase().replace(APOSTROPHES, "'");
  return normalised.match(TOKEN) ?? [];
}

/**
 * Spellings to try, in order, for a token the vocabulary lacks as a whole: the source
 * split contractions ("don't" -> "do" "n't", "it's" -> "it" "'s") and most hyphenated
 * compounds, and is mostly unaccented.
 */
export function fallbackPieces(token: string): string[] {
  const pieces: string[] = [];
  for (const part of token.split('-')) {
    const apostrophe = part.indexOf("'");
    if (apostrophe < 0) {
      pieces.push(part);
    } else if (part.endsWith("n't") && part.length > 3) {
      pieces.push(part.slice(0, -3), "n't");
    } else {
      pieces.push(part.slice(0, apostrophe), part.slice(apostrophe));
    }
  }
  return pieces.filter((p) => p !== '' && p !== "'");
}

/** "café" -> "cafe": used only when the accented spelling is unknown. */
export function stripAccents(word: string): string {
  return word.normalize('NFD').replace(MARKS, '').normalize('NFC');
}
