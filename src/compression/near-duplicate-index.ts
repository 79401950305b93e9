import { cosineSparse, type SparseVector } from './lexical-embedding.js';

/**
 * Finds, among the vectors added so far, one whose cosine to a probe exceeds `threshold`,
 * without comparing every pair (AllPairs prefix filtering, Bayardo et al. 2007). Each added
 * vector is indexed only under its rarer dimensions: the common ones left out carry a norm
 * below the threshold, so any vector above the threshold must share an indexed dimension.
 * Candidates found that way are then checked exactly.
 */
export class NearDuplicateIndex {
  private readonly threshold: number;
  private readonly frequency: (dim: number) => number;
  private readonly postings = new Map<number, number[]>();
  private readonly vectors: SparseVector[] = [];

  /** `frequency(dim)`: how many vectors of the corpus use the dimension (orders rare vs common). */
  constructor(threshold: number, frequency: (dim: number) => number) {
    this.threshold = threshold;
    this.frequency = frequency;
  }

  /** True when some added vector has cosine > threshold with `v`. */
  hasNearDuplicate(v: SparseVector): boolean {
    const seen = new Set<number>();
    for (let i = 0; i < v.dims.length; i++) {
      for (const id of this.postings.get(v.dims[i]) ?? []) {
        if (seen.has(id)) continue;
        seen.add(id);
        if (cosineSparse(v, this.vectors[id]) > this.threshold) return true;
      }
    }
    return false;
  }

  add(v: SparseVector): void {
    const id = this.vectors.push(v) - 1;
    const order = Array.from(v.dims.keys()).sort((a, b) => this.frequency(v.dims[b]) - this.frequency(v.dims[a]));
    const limit = this.threshold * this.threshold;
    let unindexedMass = 0;
    for (const k of order) {
      const w2 = v.weights[k] * v.weights[k];
      if (unindexedMass + w2 < limit) {
        unindexedMass += w2;
        continue;
      }
      const list = this.postings.get(v.dims[k]);
      if (list) list.push(id);
      else this.postings.set(v.dims[k], [id]);
    }
  }
}
