export interface ScheduledRepetition<V> {
  readonly variant: V;
  /** 0-based repetition of that variant. */
  readonly repetition: number;
}

/**
 * The order in which to run `repetitions` repetitions of each variant: rounds that alternate
 * between the given order and its reverse, A B | B A | A B | B A … (ABBA counterbalancing).
 *
 * Why not A B A B: a machine drifts during a benchmark (caches and JIT warm up, the CPU heats and
 * throttles, a background job starts), and in A B A B the second variant always runs later, so a
 * steady drift becomes a difference between the variants. Reversing every other round puts each
 * variant first as often as last: over each pair of rounds the positions add up to the same total
 * for every variant, so a linear drift cancels exactly when `repetitions` is even (with an odd
 * count the last round leaves a residue of one position, which is why even counts are better).
 * Running A B B A also means no variant always follows the same neighbour.
 */
export function repetitionOrder<V>(variants: readonly V[], repetitions: number): ScheduledRepetition<V>[] {
  if (!(Number.isInteger(repetitions) && repetitions >= 0)) {
    throw new RangeError(`repetitions must be a non-negative integer, got ${repetitions}`);
  }
  if (new Set(variants).size !== variants.length) throw new RangeError('variants must be distinct');
  const order: ScheduledRepetition<V>[] = [];
  for (let round = 0; round < repetitions; round++) {
    const inRound = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of inRound) order.push({ variant, repetition: round });
  }
  return order;
}
