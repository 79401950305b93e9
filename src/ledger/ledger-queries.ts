import type { Queryable } from '../db/db.js';
import type { LedgerEventGroup } from './compute-savings-ledger.js';

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
