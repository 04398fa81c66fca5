/** Turning similarities into the scores a client sees. Every output is a finite number. */

function finite(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

/** Scores summing to 1; equal inputs (e.g. all zero) give equal shares. */
export function softmax(values: readonly number[], temperature: number): number[] {
  const xs = values.map(finite);
  const top = Math.max(...xs);
  const exps = xs.map((x) => Math.exp((x - top) / temperature));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Independent scores in [0, 1]: 0.5 at `centre`, steeper for a smaller `scale`. */
export function sigmoid(values: readonly number[], centre: number, scale: number): number[] {
  return values.map((x) => 1 / (1 + Math.exp(-(finite(x) - centre) / scale)));
}

/** Indices by descending score; equal scores keep their input order, so output is deterministic. */
export function rankDescending(scores: readonly number[]): number[] {
  return scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
}
