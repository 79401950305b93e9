import { priceCatalog, type PriceCatalog } from '../routing/price-catalog.js';
import type { JudgeProvider } from './judge-providers.js';

/** The model a judge uses, and whether it is the catalog's default (no --model, no judge.model). */
export interface ResolvedJudgeModel {
  model: string;
  defaulted: boolean;
}

/**
 * The one place that decides the reference model: the explicit one (--model or judge.model), else
 * the provider's default from the price catalog (`judgeDefaults` in src/routing/prices.json).
 */
export function resolveJudgeModel(
  provider: JudgeProvider,
  model?: string,
  catalog: PriceCatalog = priceCatalog,
): ResolvedJudgeModel {
  const explicit = model?.trim();
  if (explicit) return { model: explicit, defaulted: false };
  return { model: catalog.judgeDefaults[provider], defaulted: true };
}

/** The catalog's default reference model of a provider. */
export function defaultJudgeModel(provider: JudgeProvider, catalog: PriceCatalog = priceCatalog): string {
  return catalog.judgeDefaults[provider];
}
