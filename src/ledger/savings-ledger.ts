import type { Queryable } from '../db/db.js';
import { cell, table, usd } from '../reports/markdown.js';
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

/** Per (class, model, shadow) sums over routing_events in (from, to], and cache hits per class in its range. */
export async function loadLedgerEvents(
  db: Queryable,
  range: { routing: [number, number]; cache: [number, number] },
): Promise<{ groups: LedgerEventGroup[]; cacheHits: Record<string, number> }> {
  const r = await db.query<{
    task_type: string;
    model: string;
    shadow: boolean;
    requests: number;
    with_tokens: number;
    input_tokens: string;
    output_tokens: string;
    recorded_usd: number;
    un_in: string;
    un_out: string;
  }>(
    `select task_type, model, coalesce(metadata->>'shadow' = 'true', false) as shadow, count(*)::int as requests,
            count(*) filter (where tok)::int as with_tokens,
            coalesce(sum(input_tokens) filter (where tok), 0)::text as input_tokens,
            coalesce(sum(output_tokens) filter (where tok), 0)::text as output_tokens,
            coalesce(sum(cost_usd) filter (where tok and cost_usd is not null), 0)::float8 as recorded_usd,
            coalesce(sum(input_tokens) filter (where tok and cost_usd is null), 0)::text as un_in,
            coalesce(sum(output_tokens) filter (where tok and cost_usd is null), 0)::text as un_out
       from (select *, input_tokens is not null and output_tokens is not null as tok from routing_events where seq > $1 and seq <= $2) as e
      group by 1, 2, 3 order by 1, 2, 3`,
    [range.routing[0], range.routing[1]],
  );
  const c = await db.query<{ task_type: string; hits: number }>(
    `select coalesce(task_type, '(untyped)') as task_type, count(*)::int as hits from cache_lookups where seq > $1 and seq <= $2 and hit group by 1 order by 1`,
    [range.cache[0], range.cache[1]],
  );
  return {
    groups: r.rows.map((x) => ({
      taskType: x.task_type,
      model: x.model,
      shadow: x.shadow,
      requests: x.requests,
      withTokens: x.with_tokens,
      inputTokens: Number(x.input_tokens),
      outputTokens: Number(x.output_tokens),
      recordedUsd: x.recorded_usd,
      unrecordedInputTokens: Number(x.un_in),
      unrecordedOutputTokens: Number(x.un_out),
    })),
    cacheHits: Object.fromEntries(c.rows.map((x) => [x.task_type, x.hits])),
  };
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
    const row = byClass.get(g.taskType) ?? {
      taskType: g.taskType,
      requests: 0,
      pricedRequests: 0,
      models: [],
      actualUsd: 0,
      allPremiumUsd: 0,
      routingSavingUsd: 0,
      cacheHits: 0,
      cacheSavingUsd: 0,
    };
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
    const row = byClass.get(taskType) ?? {
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

/** Dollars with a sign; float dust (a difference of equal sums) shows as $0.00. */
function money(x: number): string {
  if (Math.abs(x) < 1e-9) return usd(0);
  return x < 0 ? `−${usd(-x)}` : usd(x);
}

/** The ledger as a report section. */
export function renderSavingsLedger(l: SavingsLedger): string {
  const rows = l.classes.map((c) => [
    cell(c.taskType),
    String(c.requests),
    String(c.pricedRequests),
    cell(c.models.join(', ') || '—'),
    money(c.actualUsd),
    money(c.allPremiumUsd),
    money(c.routingSavingUsd),
    String(c.cacheHits),
    money(c.cacheSavingUsd),
  ]);
  const body = table(
    [
      'class',
      'requests',
      'priced',
      'served by',
      'cost as routed',
      `all on ${cell(l.premiumModel)}`,
      'routing saving',
      'cache hits',
      'cache saving',
    ],
    rows,
    ['l', 'r', 'r', 'l', 'r', 'r', 'r', 'r', 'r'],
  );
  const lines = [
    `What the events this run read cost as routed, against the same tokens on the top tier's model (${cell(l.premiumModel)}), and what auditing them cost.`,
    '',
    body,
    '',
    table(
      ['', ''],
      [
        ['routing saving', money(l.routingSavingUsd)],
        ["cache saving (hits × the class's average priced request)", money(l.cacheSavingUsd)],
        ['audit: judge spend this run', money(-l.auditUsd.judge)],
        ['audit: shadow runs of escalated classes', money(-l.auditUsd.shadow)],
        ['**net saving**', `**${money(l.netSavingUsd)}**`],
      ],
    ),
    '',
    'Priced are requests with both token counts: a recorded `costUsd` as given, otherwise the catalog price of the model that answered.' +
      (l.unpricedRequests || l.unpricedCacheHits
        ? ` Not priced: ${l.unpricedRequests} request(s) without token counts or catalog price, ${l.unpricedCacheHits} cache hit(s) of classes without a priced request.`
        : '') +
      ' Compression and batch savings do not show in events; `driftwatch cost --workload` plans them.',
  ];
  return lines.join('\n');
}
