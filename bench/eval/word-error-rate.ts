/** Lowercase words without punctuation: how transcripts and references are compared. */
export function normalizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .split(/\s+/)
    .filter((word) => word !== '');
}

export interface WordErrors {
  readonly substitutions: number;
  readonly deletions: number;
  readonly insertions: number;
  /** Words in the reference: the denominator of WER. */
  readonly referenceWords: number;
}

/** Word-level Levenshtein alignment of a hypothesis against its reference. */
export function wordErrors(reference: string, hypothesis: string): WordErrors {
  const ref = normalizeWords(reference);
  const hyp = normalizeWords(hypothesis);
  type Cell = { cost: number; s: number; d: number; i: number };
  let previous: Cell[] = Array.from({ length: hyp.length + 1 }, (_, j) => ({ cost: j, s: 0, d: 0, i: j }));
  for (let i = 1; i <= ref.length; i++) {
    const current: Cell[] = [{ cost: i, s: 0, d: i, i: 0 }];
    for (let j = 1; j <= hyp.length; j++) {
      const diagonal = previous[j - 1]!;
      const same = ref[i - 1] === hyp[j - 1];
      const options: Cell[] = [
        { ...diagonal, cost: diagonal.cost + (same ? 0 : 1), s: diagonal.s + (same ? 0 : 1) },
        { ...previous[j]!, cost: previous[j]!.cost + 1, d: previous[j]!.d + 1 },
        { ...current[j - 1]!, cost: current[j - 1]!.cost + 1, i: current[j - 1]!.i + 1 },
      ];
      current.push(options.reduce((best, option) => (option.cost < best.cost ? option : best)));
    }
    previous = current;
  }
  const last = previous[hyp.length]!;
  return { substitutions: last.s, deletions: last.d, insertions: last.i, referenceWords: ref.length };
}

/** Corpus WER: all errors over all reference words (not a mean of per-clip rates). */
export function corpusWordErrorRate(errors: readonly WordErrors[]): number {
  const words = errors.reduce((sum, e) => sum + e.referenceWords, 0);
  const wrong = errors.reduce((sum, e) => sum + e.substitutions + e.deletions + e.insertions, 0);
  return words === 0 ? 0 : wrong / words;
}
