/**
 * A deliberately light suffix stripper, used only to find a label word's morphological
 * family in the vocabulary ("messaging" -> message, messages; "navigation" -> navigate,
 * navigator). Over-stemming is tolerable because the caller also requires the family
 * member's vector to be close to the original word's.
 */

const SUFFIXES = [
  'izations',
  'ization',
  'ational',
  'ations',
  'ation',
  'ators',
  'ator',
  'ings',
  'ing',
  'ions',
  'ion',
  'ments',
  'ment',
  'ness',
  'ates',
  'ate',
  'ers',
  'er',
  'ies',
  'ied',
  'ive',
  'ity',
  'es',
  'ed',
  'ly',
  'al',
  's',
  'e',
  'y',
];
const MIN_STEM = 3;

export function lightStem(word: string): string {
  for (const suffix of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= MIN_STEM) {
      const stem = word.slice(0, -suffix.length);
      // "shopping" -> "shopp" -> "shop"; but keep "-ll", "-ss", "-zz" ("dressing" -> "dress").
      const last = stem.at(-1)!;
      return stem.length > MIN_STEM && last === stem.at(-2) && !'lsz'.includes(last)
        ? stem.slice(0, -1)
        : stem;
    }
  }
  return word;
}
