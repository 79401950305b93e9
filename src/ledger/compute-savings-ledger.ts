import { callCostUsd, findPrice, priceCatalog, type PriceCatalog } from '../routing/price-catalog.js';
import { tierOrder, type RoutingTable } from '../routing/routing-table.js';

/** Routed events of one (class, model), split by what is known about their cost. */
export interface LedgerEventGroup {
  taskType: string;
  model: string;
  /** A shadow run (the cheap model run unserved behind an escalated class): audit cost, not traffic. */
  shadow: boolean;
  requests: number;
  /** Requests with both token counts: the only ones the ledger prices. */
  withTokens: number;
  inputTokens: number;
  outputTokens: number;
  /** Of those, the cost the application recorded (costUsd) ... */
  recordedUsd: number;
  /** ... and the tokens of the rest, priced from the catalog. */
  unrecordedInputTokens: number;
  unrecordedOutputTokens: number;
}

/** One task class's line of the ledger. */
export interface LedgerClassRow {
  taskType: string;
  requests: number;
  pricedRequests: number;
  models: string[];
  /** What the priced requests cost as routed. */
  actualUsd: number;
  /** What the same tokens would have cost on the top tier's model. */
  allPremiumUsd: number;
  routingSavingUsd: number;
  cacheHits: number;
  /** Hits times the class's average priced request: the calls the cache avoided. */
  cacheSavingUsd: number;
}

/** Savings of the events one run read, net of what auditing them cost. */
export interface SavingsLedger {
  premiumModel: string;
  classes: LedgerClassRow[];
  routingSavingUsd: number;
  cacheSavingUsd: number;
  /** The judge's spend in this run plus the shadow runs' cost. */
  auditUsd: { judge: number; shadow: number; total: number };
  netSavingUsd: number;
  /** Requests the ledger could not price (no token counts, or a model missing from the catalog). */
  unpricedRequests: number;
  /** Cache hits of classes without a priced request. */
  unpricedCacheHits: number;
}

/**
 * Pure: routing saving (the same tokens on the top tier's model minus what they cost as routed),
 * cache saving (hits times the class's average priced request) and the audit's own cost (judge
 * spend plus shadow runs), and the net. Only requests with token counts are priced; a recorded
 * costUsd is used as is, otherwise the catalog price of the model that answered.
 */
export function computeSavingsLedger(
  events: { groups: LedgerEventGroup[]; cacheHits: Record<string, number> },
  table: RoutingTable,
  judgeUsd: number,
  catalog: PriceCatalog = priceCatalog,
): SavingsLedger {
  const order = tierOrder(table);
  const premiumModel = table.tiers[order[order.length - 1]!]!;
  const premiumPriced = Boolean(findPrice(premiumModel, catalog));
  const byClass = new Map<string, LedgerClassRow>();
  let unpriced = 0;
  let shadowUsd = 0;
  for (const g of events.groups) {
    const priced = Boolean(findPrice(g.model, catalog)) || g.unrecordedInputTokens + g.unrecordedOutputTokens === 0;
    const actual =
      g.recordedUsd +
      (findPrice(g.model, catalog)
        ? callCostUsd(g.model, g.unrecordedInputTokens, g.unrecordedOutputTokens, { catalog })
        : 0);
    if (g.shadow) {
      shadowUsd += actual;
      continue;
    }
    const row = byClass.get(g.taskType) ?? emptyRow(g.taskType);
    row.requests += g.requests;
    if (!row.models.includes(g.model)) row.models.push(g.model);
    if (priced && premiumPriced && g.withTokens > 0) {
      row.pricedRequests += g.withTokens;
      row.actualUsd += actual;
      row.allPremiumUsd += callCostUsd(premiumModel, g.inputTokens, g.outputTokens, { catalog });
    }
    unpriced += g.requests - (priced && premiumPriced ? g.withTokens : 0);
    byClass.set(g.taskType, row);
  }
  let unpricedHits = 0;
  for (const [taskType, hits] of Object.entries(events.cacheHits)) {
    const row = byClass.get(taskType) ?? emptyRow(taskType);
    row.cacheHits = hits;
    if (row.pricedRequests > 0) row.cacheSavingUsd = hits * (row.actualUsd / row.pricedRequests);
    else unpricedHits += hits;
    byClass.set(taskType, row);
  }
  const classes = [...byClass.values()].sort((a, b) => a.taskType.localeCompare(b.taskType));
  for (const c of classes) c.routingSavingUsd = c.allPremiumUsd - c.actualUsd;
  const routingSavingUsd = classes.reduce((a, c) => a + c.routingSavingUsd, 0);
  const cacheSavingUsd = classes.reduce((a, c) => a + c.cacheSavingUsd, 0);
  const audit = { judge: judgeUsd, shadow: shadowUsd, total: judgeUsd + shadowUsd };
  return {
    premiumModel,
    classes,
    routingSavingUsd,
    cacheSavingUsd,
    auditUsd: audit,
    netSavingUsd: routingSavingUsd + cacheSavingUsd - audit.total,
    unpricedRequests: unpriced,
    unpricedCacheHits: unpricedHits,
  };
}

function emptyRow(taskType: string): LedgerClassRow {
  return {
    taskType,
    requests: 0,
    pricedRequests: 0,
    models: [],
    actualUsd: 0,
    allPremiumUsd: 0,
    routingSavingUsd: 0,
    cacheHits: 0,
    cacheSavingUsd: 0,
  };
}
