import type { SparseVector } from './lexical-embedding.js';

/**
 * An inverted index over kept lexical vectors: `maxCosine(v)` accumulates dot products only
 * through shared dimensions, so checking a sentence against a long transcript's kept sentences
 * costs postings touched, not sentences kept.
 */
export class NearDuplicateIndex {
  private readonly postings = new Map<number, { id: number; w: number }[]>();
  private size = 0;

  /** Highest cosine between `v` and any vector added so far (0 when empty). */
  maxCosine(v: SparseVector): number {
    if (this.size === 0) return 0;
    const acc = new Float64Array(this.size);
    let best = 0;
    for (let i = 0; i < v.dims.length; i++) {
      const list = this.postings.get(v.dims[i]);
      if (!list) continue;
      for (const p of list) {
        acc[p.id] += p.w * v.weights[i];
        if (acc[p.id] > best) best = acc[p.id];
      }
    }
    return best;
  }

  add(v: SparseVector): void {
    const id = this.size++;
    for (let i = 0; i < v.dims.length; i++) {
      const list = this.postings.get(v.dims[i]);
      if (list) list.push({ id, w: v.weights[i] });
      else this.postings.set(v.dims[i], [{ id, w: v.weights[i] }]);
    }
  }
}
