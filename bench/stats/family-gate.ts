/**
 * Holm's step-down procedure: which of m hypotheses to reject so that the chance of rejecting
 * any true one is at most `alpha` over the whole family (a table of 90 rows at 5% each would
 * fail nearly every unchanged build: 1 − 0.95⁹⁰ = 99%). Uniformly more powerful than Bonferroni,
 * valid under any dependence between the rows.
 */
export function holmRejections(pValues: readonly number[], alpha = 0.05): boolean[] {
  // A row without a p-value (NaN) cannot be rejected.
  const order = pValues.map((p, index) => ({ p: Number.isNaN(p) ? 1 : p, index })).sort((x, y) => x.p - y.p);
  const rejected = new Array<boolean>(pValues.length).fill(false);
  for (const [rank, { p, index }] of order.entries()) {
    if (!(p <= alpha / (pValues.length - rank))) break;
    rejected[index] = true;
  }
  return rejected;
}
