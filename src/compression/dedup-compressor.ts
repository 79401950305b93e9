import type { CompressionResult, Compressor } from './compressor.js';
import { measure } from './fill-budget.js';
import { embedLexical } from './lexical-embedding.js';
import { NearDuplicateIndex } from './near-duplicate-index.js';
import { joinUnits, prepareContext } from './prepared-context.js';

/** Cosine above which a sentence counts as a repeat of one already kept. */
export const DEDUP_THRESHOLD = 0.85;

/**
 * Drops every sentence whose lexical cosine to an earlier kept sentence exceeds 0.85. Has no
 * target: it reports the ratio it reaches (exactly 1.0, text unchanged, when nothing repeats).
 */
export function createDedupCompressor(threshold = DEDUP_THRESHOLD): Compressor {
  // tfidf+dedup asks again for every question over the same context.
  const memo = new Map<string, CompressionResult>();
  return {
    name: 'dedup',
    targetsRatio: false,
    usesQuestion: false,
    compress(context: string) {
      const hit = memo.get(context);
      if (hit) return hit;
      const result = dedupe(context, threshold);
      if (memo.size >= 64) memo.delete(memo.keys().next().value as string);
      memo.set(context, result);
      return result;
    },
  };
}

/** Keeps the first of every group of near-duplicate sentences. */
function dedupe(context: string, threshold: number): CompressionResult {
  const ctx = prepareContext(context);
  const kept: number[] = [];
  const vectors = ctx.units.map((u) => embedLexical(u.text));
  const df = new Map<number, number>();
  for (const v of vectors) for (const d of v.dims) df.set(d, (df.get(d) ?? 0) + 1);
  const index = new NearDuplicateIndex(threshold, (d) => df.get(d) ?? 0);
  vectors.forEach((v, i) => {
    if (index.hasNearDuplicate(v)) return;
    kept.push(i);
    index.add(v);
  });
  if (kept.length === ctx.units.length) return measure(ctx.totalTokens, context);
  return measure(ctx.totalTokens, joinUnits(kept.map((i) => ctx.units[i])));
}
