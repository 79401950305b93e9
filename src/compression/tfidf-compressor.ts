import type { Compressor, CompressOptions } from './compressor.js';
import { budgetFor, buildResult, emptySelection, fillBudget, measure } from './fill-budget.js';
import { prepareContext, scoreUnits, stemTerms } from './prepared-context.js';

/**
 * Question-aware extractive compression: scores each sentence against the question by tf-idf over
 * the context's sentences (natural's tokenizer and Porter stemmer, stop words removed), keeps the best in original order up to the
 * token budget and cuts the next-best at a word boundary to land on the target. Without a
 * question every score is 0 and the leading sentences are kept.
 */
export function createTfidfCompressor(): Compressor {
  return {
    name: 'tfidf',
    targetsRatio: true,
    usesQuestion: true,
    compress(context: string, options: CompressOptions = {}) {
      const ctx = prepareContext(context);
      const budget = budgetFor(ctx.totalTokens, options.targetRatio, 'tfidf');
      if (budget >= ctx.totalTokens) return measure(ctx.totalTokens, context);
      const unitBudget = Math.round(budget / ctx.scale);
      const terms = stemTerms(options.question ?? '');
      const scores = terms.length > 0 ? scoreUnits(ctx.terms(), terms) : ctx.units.map(() => 0);
      const priority = ctx.units.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
      const selection = emptySelection();
      fillBudget(ctx.units, priority, unitBudget, selection);
      return buildResult(ctx, selection, budget);
    },
  };
}
