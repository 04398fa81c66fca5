import { STOP_WORDS } from './stop-words.js';
import type { EmbeddingTable } from './table.js';
import { fallbackPieces, stripAccents, tokenize } from './tokenizer.js';
import { addScaled, normalise, reject } from './vectors.js';

/** Table rows with the weight each contributes to a sentence vector. */
export interface WeightedWords {
  readonly rows: number[];
  readonly weights: number[];
}

/**
 * SIF's a in the weight a / (a + p(w)). At 1e-2 it damps only the few hundred most
 * frequent words that survive stop-word removal ("said", "new", "home": 0.93); on the dev
 * split it beat 1e-3 and 1e-4 (29 vs 26 and 25 of 42), while larger values, i.e. no
 * weighting, did slightly worse (27).
 */
const SIF_A = 1e-2;

/**
 * Rows averaged to find the direction every GloVe vector shares. Removing it ("common
 * component removal", as in SIF and all-but-the-top) was the single largest gain: without
 * it every cosine is dominated by word frequency, and one generic label wins every text.
 */
const COMMON_ROWS = 20_000;

/**
 * The embedding space the classifier works in: unit vectors with the common direction
 * removed, SIF frequency weights, and the mapping from text to weighted rows.
 */
export class WordSpace {
  readonly table: EmbeddingTable;
  readonly dimensions: number;
  private readonly common: Float32Array;
  /** Zipf's law: p(rank r) = 1 / (r * H), H the harmonic number of the vocabulary size. */
  private readonly harmonic: number;

  constructor(table: EmbeddingTable) {
    this.table = table;
    this.dimensions = table.dimensions;
    this.harmonic = Math.log(Math.max(table.size, 1)) + 0.5772156649;
    this.common = new Float32Array(table.dimensions);
    const n = Math.min(COMMON_ROWS, table.size);
    for (let row = 0; row < n; row++) addScaled(this.common, table.vectors, row * table.dimensions, 1);
    normalise(this.common);
  }

  /** A fresh unit vector for `row` in the working space (zero if the word was all common component). */
  vector(row: number): Float32Array {
    const d = this.dimensions;
    return normalise(reject(this.table.vectors.slice(row * d, (row + 1) * d), this.common));
  }

  /** The rank stands in for the frequency the table does not store. */
  weight(row: number): number {
    const p = 1 / ((row + 1) * this.harmonic);
    return SIF_A / (SIF_A + p);
  }

  isStopWord(row: number): boolean {
    return STOP_WORDS.has(this.table.words[row]!);
  }

  private lookup(word: string): number | undefined {
    return this.table.rows.get(word) ?? this.table.rows.get(stripAccents(word));
  }

  private rowsOf(token: string): number[] {
    const whole = this.lookup(token);
    if (whole !== undefined) return [whole];
    const rows: number[] = [];
    for (const piece of fallbackPieces(token)) {
      const row = piece === token ? undefined : this.lookup(piece);
      if (row !== undefined) rows.push(row);
    }
    return rows;
  }

  /**
   * The known words of `text`, stop words dropped, SIF-weighted. A text made only of stop
   * words ("what is it", a label like "other") keeps them, as they are all it says.
   */
  words(text: string): WeightedWords {
    const content: WeightedWords = { rows: [], weights: [] };
    const all: WeightedWords = { rows: [], weights: [] };
    for (const token of tokenize(text)) {
      for (const row of this.rowsOf(token)) {
        const weight = this.weight(row);
        all.rows.push(row);
        all.weights.push(weight);
        if (!this.isStopWord(row)) {
          content.rows.push(row);
          content.weights.push(weight);
        }
      }
    }
    return content.rows.length > 0 ? content : all;
  }

  /** The weighted mean direction of `words`: a unit vector, or zeros when there are none. */
  embed(words: WeightedWords): Float32Array {
    const v = new Float32Array(this.dimensions);
    words.rows.forEach((row, i) => {
      addScaled(v, this.vector(row), 0, words.weights[i]!);
    });
    return normalise(v);
  }
}
