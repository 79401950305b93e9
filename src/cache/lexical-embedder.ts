import { fnv1a } from '../text/fnv1a.js';
import type { Embedder } from './embedder.js';
import { l2Normalize } from './embedder.js';

/** Options of the offline lexical embedder. */
export interface LexicalEmbedderOptions {
  dims?: number;
  /** Weight of word unigrams, word bigrams and character trigrams (within words). */
  weights?: { word: number; bigram: number; char: number };
}

const DEFAULT_WEIGHTS = { word: 1, bigram: 0.6, char: 0.35 };

/**
 * The offline default embedder: hashed word unigrams, word bigrams and character trigrams with
 * sublinear term weights, signed feature hashing into `dims` (512) buckets, L2-normalised.
 * It is lexical, not semantic: paraphrases with different words score low, and texts sharing
 * words but differing in meaning can score high. Use a real embedding model in production.
 */
export function createLexicalEmbedder(options: LexicalEmbedderOptions = {}): Embedder {
  const dims = options.dims ?? 512;
  const w = options.weights ?? DEFAULT_WEIGHTS;
  return {
    id: `lexical-v1:${dims}`,
    kind: 'lexical',
    dims,
    async embed(texts) {
      return texts.map((t) => embedLexical(t, dims, w));
    },
  };
}

/** Tokenizes to lowercase word tokens (letters, digits and apostrophes inside words). */
export function tokenizeWords(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFKC')
      .match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? []
  );
}

function embedLexical(text: string, dims: number, w: { word: number; bigram: number; char: number }): number[] {
  const counts = new Map<string, number>();
  const add = (f: string) => counts.set(f, (counts.get(f) ?? 0) + 1);
  const words = tokenizeWords(text);
  words.forEach((word, i) => {
    add(`w:${word}`);
    if (i > 0) add(`b:${words[i - 1]} ${word}`);
    const padded = `<${word}>`;
    for (let j = 0; j + 3 <= padded.length; j++) add(`c:${padded.slice(j, j + 3)}`);
  });
  const v = new Array<number>(dims).fill(0);
  for (const [feature, count] of counts) {
    const weight = (feature[0] === 'w' ? w.word : feature[0] === 'b' ? w.bigram : w.char) * (1 + Math.log(count));
    const h = fnv1a(feature);
    v[h % dims] += h & 0x80000000 ? -weight : weight;
  }
  return l2Normalize(v);
}
