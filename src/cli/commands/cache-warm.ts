import { existsSync } from 'node:fs';
import { resolvePaths } from '../../config/resolve-paths.js';
import type { RoutingFormat } from '../../config/routing-format.js';
import { createEmbedder } from '../../cache/create-embedder.js';
import { createSemanticCache } from '../../cache/semantic-cache.js';
import { warmCache } from '../../cache/warm-cache.js';
import { loadRoutingTable, tierOrder } from '../../routing/routing-table.js';
import type { RateEstimate } from '../../stats/binomial-interval.js';
import { defineCommand } from '../command.js';
import { cacheWarmSpec } from './cache-warm-spec.js';
import { formatPercent } from '../../text/format-percent.js';

export const cacheWarmCommand = defineCommand(cacheWarmSpec, async (ctx, { days, premium }) => {
  const loaded = ctx.config();
  const { config } = loaded;
  const premiumModels = premium ?? premiumFromRoutingTable(resolvePaths(loaded));
  const db = await ctx.db();
  const embedder = createEmbedder(ctx.env, {
    embedder: config.cache.embedder,
    model: config.cache.embeddingModel,
    dims: config.cache.embeddingDims,
  });
  const cache = await createSemanticCache({
    db,
    embedder,
    threshold: config.cache.threshold,
    thresholds: config.cache.thresholds,
    noCache: config.cache.noCache,
    ttlHours: config.cache.ttlHours,
    log: ctx.log,
    now: ctx.now,
  });
  const r = await warmCache(db, { cache, now: ctx.now(), days, premiumModels, log: ctx.log });
  const rate = (e: RateEstimate) =>
    `${e.rate === null ? 'n/a' : pct(e.rate)} (${e.failures} of ${e.n}, 95% Wilson [${pct(e.lower)}, ${pct(e.upper)}])`;
  const text = [
    `cache-warm (${embedder.kind} embedder ${embedder.id}${embedder.kind === 'lexical' ? ': lexical similarity, not semantic' : ''}; premium models: ${premiumModels.join(', ') || 'none'})`,
    `filled ${r.filled} entries (${r.skippedExisting} skipped as already cached); replayed ${r.replayed} queries from the last ${days} days`,
    `hit rate ${rate(r.hitRate)}`,
    `false-hit rate ${rate(r.falseHitRate)} among hits with a known answer (${r.unlabelledHits} hits had no reference or judgment)`,
  ].join('\n');
  return { json: { embedder: embedder.id, embedderKind: embedder.kind, days, premiumModels, ...r }, text };
});

function premiumFromRoutingTable({
  routingTable: file,
  routingFormat,
}: {
  routingTable: string;
  routingFormat: RoutingFormat;
}): string[] {
  if (!existsSync(file)) return [];
  const { table } = loadRoutingTable(file, routingFormat);
  const top = tierOrder(table).pop();
  return top ? [table.tiers[top as keyof typeof table.tiers]].filter((m): m is string => typeof m === 'string') : [];
}

function pct(x: number): string {
  return formatPercent(x, 2);
}
