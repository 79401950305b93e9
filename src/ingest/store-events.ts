import type { Queryable } from '../db/db.js';
import { WRITER_FENCE } from '../db/queries/event-fence.js';
import type { CacheLookup, RoutingEvent } from './event-schema.js';

export const ROUTING_COLUMNS = `id text, ts timestamptz, task_type text, model text, prompt text, messages jsonb, response text,
  reference text, input_tokens integer, output_tokens integer, cost_usd double precision, latency_ms double precision,
  has_tool_calls boolean, metadata jsonb, premium_response text, premium_model text`;
export const CACHE_COLUMNS = `id text, ts timestamptz, task_type text, query text, hit boolean, similarity double precision,
  matched_query text, result text, reference text, threshold double precision, metadata jsonb`;

/** The column names of a `name type, ...` list. */
export const columnNames = (cols: string) =>
  cols
    .split(',')
    .map((c) => c.trim().split(/\s+/)[0])
    .join(', ');

/** A routing event as a row of routing_events (snake_case, absent = null). */
export function routingRow(e: RoutingEvent): Record<string, unknown> {
  return {
    id: e.id,
    ts: e.ts,
    task_type: e.taskType,
    model: e.model,
    prompt: e.prompt ?? null,
    messages: e.messages ?? null,
    response: e.response,
    reference: e.reference ?? null,
    input_tokens: e.inputTokens ?? null,
    output_tokens: e.outputTokens ?? null,
    cost_usd: e.costUsd ?? null,
    latency_ms: e.latencyMs ?? null,
    has_tool_calls: e.hasToolCalls ?? null,
    metadata: e.metadata ?? null,
    premium_response: e.premiumResponse ?? null,
    premium_model: e.premiumModel ?? null,
  };
}

/** A cache lookup as a row of cache_lookups. */
export function cacheRow(e: CacheLookup): Record<string, unknown> {
  return {
    id: e.id,
    ts: e.ts,
    task_type: e.taskType ?? null,
    query: e.query,
    hit: e.hit,
    similarity: e.similarity,
    matched_query: e.matchedQuery ?? null,
    result: e.result ?? null,
    reference: e.reference ?? null,
    threshold: e.threshold ?? null,
    metadata: e.metadata ?? null,
  };
}

/**
 * Rows go in in byte order of their ids (every writer the same order, whatever the database's
 * collation): two writers of overlapping ids then take their row locks in the same order, so one
 * waits for the other instead of deadlocking.
 */
export const INSERT_ORDER = `order by id collate "C"`;

/** Inserts routing events, skipping ids already stored; returns how many were new. One statement per batch. */
export async function storeRoutingEvents(q: Queryable, events: RoutingEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const r = await q.query(
    `insert into routing_events (${columnNames(ROUTING_COLUMNS)})
     select ${columnNames(ROUTING_COLUMNS)} from jsonb_to_recordset($1::jsonb) as x(${ROUTING_COLUMNS}), ${WRITER_FENCE}
     ${INSERT_ORDER} on conflict (id) do nothing`,
    [JSON.stringify(events.map(routingRow))],
  );
  return r.rowCount;
}

/** Inserts cache lookups, skipping ids already stored; returns how many were new. */
export async function storeCacheLookups(q: Queryable, lookups: CacheLookup[]): Promise<number> {
  if (lookups.length === 0) return 0;
  const r = await q.query(
    `insert into cache_lookups (${columnNames(CACHE_COLUMNS)})
     select ${columnNames(CACHE_COLUMNS)} from jsonb_to_recordset($1::jsonb) as x(${CACHE_COLUMNS}), ${WRITER_FENCE}
     ${INSERT_ORDER} on conflict (id) do nothing`,
    [JSON.stringify(lookups.map(cacheRow))],
  );
  return r.rowCount;
}
