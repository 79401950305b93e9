import { ConfigError } from '../errors.js';
import { findPrice } from '../routing/price-catalog.js';

/**
 * A hard cost cap needs a price: refuses a model missing from the catalog when `maxCostUsd` is set.
 * The one check (and message) of the judge-client builder, `runJudge` and `runBatchJudge`.
 */
export function assertBudgetable(model: string, maxCostUsd: number | undefined): void {
  if (maxCostUsd === undefined || findPrice(model)) return;
  throw new ConfigError(
    `model "${model}" has no price in the catalog, so --max-cost-usd cannot be enforced; pick a catalogued model or add its price`,
  );
}
