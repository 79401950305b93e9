import type { Db } from '../db/db.js';
import type { JudgedLookup } from './false-hit-curve.js';

/** A judged cache candidate with its task class and the sampler's stratum (hit or near_miss). */
export interface ClassedJudgedLookup extends JudgedLookup {
  taskType: string;
  reason: string;
}

/**
 * All logged lookups per task class as (similarity to 0.001, count), for hit shares: read from the
 * per-(class, similarity bucket) summary the insert trigger of migration 012 keeps, not from every lookup.
 */
export async function loadLookupPopulation(
  db: Db,
  taskType?: string,
): Promise<Map<string, { similarity: number; count: number }[]>> {
  const r = await db.query<{ task_type: string; s: number; n: string }>(
    `select task_type, bucket::float8 / 1000 as s, lookups::text as n
       from cache_lookup_buckets where ($1::text is null or task_type = $1)`,
    [taskType ?? null],
  );
  const out = new Map<string, { similarity: number; count: number }[]>();
  for (const x of r.rows) {
    const list = out.get(x.task_type) ?? [];
    list.push({ similarity: Number(x.s), count: Number(x.n) });
    out.set(x.task_type, list);
  }
  return out;
}

/** Lookups served as hits per task class (the traffic weight of a pooled figure), from the same summary. */
export async function loadHitVolumes(db: Db, taskType?: string): Promise<Map<string, number>> {
  const r = await db.query<{ task_type: string; n: string }>(
    `select task_type, sum(hits)::text as n
       from cache_lookup_buckets where ($1::text is null or task_type = $1) group by 1 having sum(hits) > 0`,
    [taskType ?? null],
  );
  return new Map(r.rows.map((x) => [x.task_type, Number(x.n)]));
}
