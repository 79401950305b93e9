import type { Compressor, CompressOptions } from './compressor.js';
import { createDedupCompressor } from './dedup-compressor.js';
import { prepareContext } from './prepared-context.js';
import { createStructuralCompressor } from './structural-compressor.js';
import { createTfidfCompressor } from './tfidf-compressor.js';

/** The built-in compressor names. */
export const COMPRESSOR_NAMES = ['tfidf', 'structural', 'dedup', 'tfidf+dedup'] as const;
/** One of the built-in compressor names. */
export type CompressorName = (typeof COMPRESSOR_NAMES)[number];

/**
 * Dedup first, then tfidf on what remains to the target ratio of the ORIGINAL context; when
 * dedup alone already goes below the target, its output stands.
 */
export function createTfidfDedupCompressor(): Compressor {
  const dedup = createDedupCompressor();
  const tfidf = createTfidfCompressor();
  return {
    name: 'tfidf+dedup',
    targetsRatio: true,
    usesQuestion: true,
    async compress(context: string, options: CompressOptions = {}) {
      const original = prepareContext(context).totalTokens;
      const deduped = await dedup.compress(context);
      const target = options.targetRatio ?? 1;
      if (deduped.compressedTokens === 0 || deduped.compressedTokens <= target * original) return deduped;
      const inner = Math.min(1, (target * original) / deduped.compressedTokens);
      const out = await tfidf.compress(deduped.text, { ...options, targetRatio: inner });
      return { ...out, originalTokens: original, achievedRatio: out.compressedTokens / original };
    },
  };
}

/** A fresh registry of the built-in compressors; add external ones (HTTP services) to it. */
export function createCompressorRegistry(extra: Compressor[] = []): Map<string, Compressor> {
  const all = [
    createTfidfCompressor(),
    createStructuralCompressor(),
    createDedupCompressor(),
    createTfidfDedupCompressor(),
    ...extra,
  ];
  return new Map(all.map((c) => [c.name, c]));
}
