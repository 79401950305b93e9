import type { Compressor, CompressOptions } from './compressor.js';
import { budgetFor, buildResult, emptySelection, fillBudget, measure } from './fill-budget.js';
import { prepareContext } from './prepared-context.js';

const HEAD_SHARE = 0.3 / (0.3 + 0.2);
/** Headers never take more than this share of the budget, so head and tail always get room. */
const MAX_HEADER_SHARE = 0.2;

/**
 * Position-based compression: section headers, then the opening and closing of the text in a
 * 3:2 split (at ratio 0.5 exactly the first 30% and the last 20%), scaled to the target.
 * Question-blind, so one result serves every question over a context.
 */
export function createStructuralCompressor(): Compressor {
  return {
    name: 'structural',
    targetsRatio: true,
    usesQuestion: false,
    compress(context: string, options: CompressOptions = {}) {
      const ctx = prepareContext(context);
      const budget = budgetFor(ctx.totalTokens, options.targetRatio, 'structural');
      if (budget >= ctx.totalTokens) return measure(ctx.totalTokens, context);
      const unitBudget = Math.round(budget / ctx.scale);
      const order = ctx.units.map((_, i) => i);
      const selection = emptySelection();
      const headers = order.filter((i) => ctx.units[i].header);
      const headerTokens = fillBudget(ctx.units, headers, Math.floor(unitBudget * MAX_HEADER_SHARE), selection);
      const rest = unitBudget - headerTokens;
      const headTokens = fillBudget(ctx.units, order, Math.round(rest * HEAD_SHARE), selection);
      fillBudget(ctx.units, order.reverse(), rest - headTokens, selection, true);
      return buildResult(ctx, selection, budget);
    },
  };
}
