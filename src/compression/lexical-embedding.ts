import { fnv1a } from '../text/fnv1a.js';

/** A sparse, L2-normalised vector: parallel arrays of hashed dimensions and weights. */
export interface SparseVector {
  dims: Uint32Array;
  weights: Float64Array;
}

const DIMENSIONS = 1 << 20;

/**
 * Lexical embedding: word unigrams and bigrams of the lower-cased, punctuation-free text, hashed
 * (FNV-1a) into 2^20 dimensions (collisions negligible) and L2-normalised. Near-identical
 * sentences score a cosine near 1; unrelated ones near 0. Not semantic: paraphrases score low.
 * Bigrams rather than character n-grams keep shared features rare, which the dedup index needs.
 */
export function embedLexical(text: string): SparseVector {
  const words = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const counts = new Map<number, number>();
  const add = (feature: string) => {
    const d = fnv1a(feature) % DIMENSIONS;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  };
  words.forEach((w, i) => {
    add(`w:${w}`);
    if (i > 0) add(`b:${words[i - 1]} ${w}`);
  });
  const dims = Uint32Array.from([...counts.keys()].sort((a, b) => a - b));
  const weights = Float64Array.from(dims, (d) => counts.get(d) as number);
  let sq = 0;
  for (const w of weights) sq += w * w;
  const norm = Math.sqrt(sq) || 1;
  for (let i = 0; i < weights.length; i++) weights[i] /= norm;
  return { dims, weights };
}

/** Cosine of two lexical embeddings (both normalised, so the dot product), by a sorted merge. */
export function cosineSparse(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < a.dims.length && j < b.dims.length) {
    if (a.dims[i] === b.dims[j]) dot += a.weights[i++] * b.weights[j++];
    else if (a.dims[i] < b.dims[j]) i++;
    else j++;
  }
  return dot;
}
