import { InputError } from '../errors.js';

/**
 * Turns texts into unit-length vectors. `id` names the model and version; the cache only compares
 * vectors made by the same `id`, so switching embedders starts a fresh (empty) cache scope.
 */
export interface Embedder {
  readonly id: string;
  /** lexical = hashed word and character n-grams (no meaning); semantic = a learned embedding model. */
  readonly kind: 'lexical' | 'semantic';
  readonly dims: number;
  embed(texts: string[]): Promise<number[][]>;
}

/** pgvector's HNSW index accepts `vector` columns of at most 2,000 dimensions. */
export const MAX_INDEXED_DIMS = 2000;

/** Checks one embedding against the embedder's declared size; names both sizes when they differ. */
export function assertEmbeddingSize(embedder: Embedder, vector: number[], index = 0): void {
  if (vector.length !== embedder.dims) {
    throw new InputError(
      `embedder ${embedder.id} returned a ${vector.length}-dimensional vector for input ${index}, but it is configured for ${embedder.dims} dimensions; ` +
        `set the embedder's dimensions to what the model returns (for OpenAI text-embedding-3 models, the \`dimensions\` option)`,
      { code: 'embedding_size' },
    );
  }
}

/** Scales a vector to unit L2 length (a zero vector stays zero). */
export function l2Normalize(v: number[]): number[] {
  let s = 0;
  for (const x of v) s += x * x;
  if (s === 0) return v;
  const inv = 1 / Math.sqrt(s);
  return v.map((x) => x * inv);
}
