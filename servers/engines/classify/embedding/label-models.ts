import { lightStem } from './light-stem.js';
import { LruCache } from './lru.js';
import { NeighbourIndex } from './neighbours.js';
import { addScaled, dot, normalise } from './vectors.js';
import type { WeightedWords, WordSpace } from './word-space.js';

/**
 * Neighbours are drawn from the most frequent content words only: rarer neighbours are
 * mostly names and misspellings, and a smaller pool keeps a label's first use near 2 ms.
 */
const NEIGHBOUR_POOL_ROWS = 10_000;
const NEIGHBOURS = 20;
/**
 * Weight of the neighbours' centroid against the label's own direction. The dev split
 * preferred 2 among 0.5-4; the label's own words still dominate because each neighbour
 * is itself close to them.
 */
const NEIGHBOUR_WEIGHT = 2;
/** Morphological relatives are searched for among this many words. */
const FAMILY_POOL_ROWS = 50_000;
/** A relative must also mean much the same: this rejects "homing" for "home". */
const FAMILY_MIN_SIMILARITY = 0.3;
/**
 * A template's own words are shared by every label, so they cannot tell labels apart;
 * they are kept, but lightly, so that "This is about {}." shifts scores without drowning
 * one-word labels.
 */
const TEMPLATE_WEIGHT = 0.25;
/** 4096 labels of 400 bytes each: far more distinct labels than a benchmark run uses. */
const CACHE_SIZE = 4096;

const ALPHABETIC = /^\p{L}+$/u;

/**
 * Turns a label (with its hypothesis template) into the unit vector texts are compared
 * with: the label's words, their morphological relatives, and the centroid of their
 * nearest neighbours. A label of one or two words is a thin description; enriching it
 * with its neighbourhood ("weather" -> rain, storms, temperatures, forecast...) lets texts
 * that never name the label still match it.
 */
export class LabelModels {
  private readonly space: WordSpace;
  private readonly neighbours: NeighbourIndex;
  private readonly families = new Map<string, number[]>();
  private readonly cache = new LruCache<string, Float32Array>(CACHE_SIZE);

  constructor(space: WordSpace) {
    this.space = space;
    const { words, size } = space.table;
    const pool: number[] = [];
    for (let row = 0; row < Math.min(NEIGHBOUR_POOL_ROWS, size); row++) {
      if (ALPHABETIC.test(words[row]!) && !space.isStopWord(row)) pool.push(row);
    }
    this.neighbours = new NeighbourIndex(pool, space.dimensions, (row) => space.vector(row));
    for (let row = 0; row < Math.min(FAMILY_POOL_ROWS, size); row++) {
      const word = words[row]!;
      if (!ALPHABETIC.test(word)) continue;
      const stem = lightStem(word);
      const family = this.families.get(stem);
      if (family) family.push(row);
      else this.families.set(stem, [row]);
    }
  }

  /** The same (label, template) always yields the same vector, cached or not. */
  vector(label: string, template: string): Float32Array {
    const key = `${template}\u0000${label}`;
    let vector = this.cache.get(key);
    if (vector === undefined) {
      vector = this.build(label, template);
      this.cache.set(key, vector);
    }
    return vector;
  }

  private withFamilies(words: WeightedWords): WeightedWords {
    const rows = [...words.rows];
    const weights = [...words.weights];
    words.rows.forEach((row, i) => {
      const own = this.space.vector(row);
      for (const relative of this.families.get(lightStem(this.space.table.words[row]!)) ?? []) {
        if (rows.includes(relative)) continue;
        const similarity = dot(own, 0, this.space.vector(relative), 0, own.length);
        if (similarity < FAMILY_MIN_SIMILARITY) continue;
        rows.push(relative);
        weights.push(words.weights[i]! * similarity);
      }
    });
    return { rows, weights };
  }

  private build(label: string, template: string): Float32Array {
    const words = this.withFamilies(this.space.words(label));
    const vector = this.space.embed(words);
    const found =
      words.rows.length > 0 ? this.neighbours.nearest(vector, NEIGHBOURS, new Set(words.rows)) : [];
    if (found.length > 0) {
      const centroid = new Float32Array(this.space.dimensions);
      for (const n of found) addScaled(centroid, this.space.vector(n.row), 0, Math.max(n.similarity, 0));
      addScaled(vector, normalise(centroid), 0, NEIGHBOUR_WEIGHT);
      normalise(vector);
    }
    if (template !== '') {
      // The label's words were embedded above; the placeholder only marks where they go,
      // so a template without one still works.
      const context = this.space.embed(this.space.words(template.replaceAll('{}', ' ')));
      addScaled(vector, context, 0, TEMPLATE_WEIGHT);
      normalise(vector);
    }
    return vector;
  }
}
