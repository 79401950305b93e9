import type { Compressor } from './compressor.js';
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
  return {
    name: 'dedup',
    targetsRatio: false,
    usesQuestion: false,
    compress(context: string) {
      const ctx = prepareContext(context);
      const kept: number[] = [];
      const index = new NearDuplicateIndex();
      ctx.units.forEach((u, i) => {
        const v = embedLexical(u.text);
        if (index.maxCosine(v) > threshold) return;
        kept.push(i);
        index.add(v);
      });
      if (kept.length === ctx.units.length) return measure(ctx.totalTokens, context);
      return measure(ctx.totalTokens, joinUnits(kept.map((i) => ctx.units[i])));
    },
  };
}
