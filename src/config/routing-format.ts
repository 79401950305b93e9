import type { Config } from './config-schema.js';

/**
 * Which file format the routing table is in: driftwatch's routing.yaml, or a LiteLLM proxy
 * config.yaml read through the tier ladder driftwatch.yaml lists (a LiteLLM config has no tiers).
 */
export type RoutingFormat =
  | { format: 'driftwatch' }
  | { format: 'litellm'; tiers: Record<string, string>; pinned: string[] };

export const DRIFTWATCH_FORMAT: RoutingFormat = { format: 'driftwatch' };

/** The routing table's path (as written in driftwatch.yaml) and format. */
export function routingTableSetting(config: Pick<Config, 'routingTable'>): { path: string; format: RoutingFormat } {
  const t = config.routingTable;
  if (typeof t === 'string') return { path: t, format: DRIFTWATCH_FORMAT };
  if (t.format === 'driftwatch') return { path: t.path, format: DRIFTWATCH_FORMAT };
  return { path: t.path, format: { format: 'litellm', tiers: t.tiers, pinned: t.pinned } };
}
