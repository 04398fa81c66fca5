export interface Neighbour {
  readonly row: number;
  readonly similarity: number;
}

/**
 * Exact nearest words by brute force over a packed copy of the candidate rows. Over ~10k
 * rows that takes 1-2 ms and needs no index build; it runs once per distinct label, and
 * the caller caches the result.
 */
export class NeighbourIndex {
  private readonly rows: Int32Array;
  private readonly packed: Float32Array;
  private readonly dimensions: number;

  /** `rows` in ascending order; `vectorOf` gives each one's unit (or zero) vector. */
  constructor(rows: readonly number[], dimensions: number, vectorOf: (row: number) => Float32Array) {
    this.dimensions = dimensions;
    this.rows = Int32Array.from(rows);
    this.packed = new Float32Array(rows.length * dimensions);
    rows.forEach((row, i) => {
      this.packed.set(vectorOf(row), i * dimensions);
    });
  }

  /** The `k` rows most similar to `query`, best first; on equal similarity the lower row wins. */
  nearest(query: Float32Array, k: number, exclude: ReadonlySet<number>): Neighbour[] {
    const best: Neighbour[] = [];
    if (k <= 0) return best;
    const d = this.dimensions;
    const packed = this.packed;
    for (let i = 0, base = 0; i < this.rows.length; i++, base += d) {
      // Inlined rather than calling dot(): this loop is nearly all of a new label's cost.
      let similarity = 0;
      for (let j = 0; j < d; j++) similarity += packed[base + j]! * query[j]!;
      if (best.length === k && similarity <= best[k - 1]!.similarity) continue;
      const row = this.rows[i]!;
      if (exclude.has(row)) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]!.similarity < similarity) at--;
      best.splice(at, 0, { row, similarity });
      if (best.length > k) best.pop();
    }
    return best;
  }
}
