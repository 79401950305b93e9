import type { Queryable } from '../../src/db/db.js';

/** A routing event row for tests (only the columns the sampler and judge read). */
export interface TestRoutingEvent {
  id: string;
  ts: string;
  taskType: string;
  model?: string;
  prompt?: string;
  response: string;
  reference?: string | null;
}

/** A cache lookup row for tests. */
export interface TestCacheLookup {
  id: string;
  ts: string;
  taskType?: string | null;
  query?: string;
  hit: boolean;
  similarity: number;
  result?: string | null;
  reference?: string | null;
  threshold?: number | null;
}

/** Bulk-inserts routing events in one statement (unnest), in array order (= seq order). */
export async function insertRoutingEvents(q: Queryable, rows: TestRoutingEvent[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const b = rows.slice(i, i + 5000);
    await q.query(
      `insert into routing_events (id, ts, task_type, model, prompt, response, reference)
       select a, b, c, d, e, f, g from unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         with ordinality as u(a, b, c, d, e, f, g, o) order by o`,
      [
        b.map((r) => r.id),
        b.map((r) => r.ts),
        b.map((r) => r.taskType),
        b.map((r) => r.model ?? 'gpt-4o-mini'),
        b.map((r) => r.prompt ?? `prompt ${r.id}`),
        b.map((r) => r.response),
        b.map((r) => r.reference ?? null),
      ],
    );
  }
}

/** Bulk-inserts cache lookups in array order. */
export async function insertCacheLookups(q: Queryable, rows: TestCacheLookup[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const b = rows.slice(i, i + 5000);
    await q.query(
      `insert into cache_lookups (id, ts, task_type, query, hit, similarity, result, reference, threshold)
       select a, b, c, d, e, f, g, h, k from unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::bool[], $6::float8[], $7::text[], $8::text[], $9::float8[])
         with ordinality as u(a, b, c, d, e, f, g, h, k, o) order by o`,
      [
        b.map((r) => r.id),
        b.map((r) => r.ts),
        b.map((r) => r.taskType ?? null),
        b.map((r) => r.query ?? `query ${r.id}`),
        b.map((r) => r.hit),
        b.map((r) => r.similarity),
        b.map((r) => r.result ?? null),
        b.map((r) => r.reference ?? null),
        b.map((r) => r.threshold ?? null),
      ],
    );
  }
}
