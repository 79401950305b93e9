import type { Queryable } from '../db/db.js';
import { WRITER_FENCE } from '../db/queries/event-fence.js';
import type { CacheLookup, RoutingEvent } from './event-schema.js';

const ROUTING_COLUMNS = `id text, ts timestamptz, task_type text, model text, prompt text, messages jsonb, response text,
  reference text, input_tokens integer, output_tokens integer, cost_usd double precision, latency_ms double precision,
  has_tool_calls boolean, metadata jsonb, premium_response text, premium_model text`;
const CACHE_COLUMNS = `id text, ts timestamptz, task_type text, query text, hit boolean, similarity double precision,
  matched_query text, result text, reference text, threshold double precision, metadata jsonb`;

const names = (cols: string) => cols.split(',').map((c) => c.trim().split(/\s+/)[0]).join(', ');

/** Inserts routing events, skipping ids already stored; returns how many were new. One statement per batch. */
export async function storeRoutingEvents(q: Queryable, events: RoutingEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows = events.map((e) => ({
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
  }));
  const r = await q.query(
    `insert into routing_events (${names(ROUTING_COLUMNS)})
     select ${names(ROUTING_COLUMNS)} from jsonb_to_recordset($1::jsonb) as x(${ROUTING_COLUMNS}), ${WRITER_FENCE}
     on conflict (id) do nothing`,
    [JSON.stringify(rows)],
  );
  return r.rowCount;
}

/** Inserts cache lookups, skipping ids already stored; returns how many were new. */
export async function storeCacheLookups(q: Queryable, lookups: CacheLookup[]): Promise<number> {
  if (lookups.length === 0) return 0;
  const rows = lookups.map((e) => ({
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
  }));
  const r = await q.query(
    `insert into cache_lookups (${names(CACHE_COLUMNS)})
     select ${names(CACHE_COLUMNS)} from jsonb_to_recordset($1::jsonb) as x(${CACHE_COLUMNS}), ${WRITER_FENCE}
     on conflict (id) do nothing`,
    [JSON.stringify(rows)],
  );
  return r.rowCount;
}
