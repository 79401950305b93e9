import type { Db } from '../../src/db/db.js';

/**
 * Stand-in for the sampler + offline judge in cache tests and benches: samples the given lookups
 * (all of them: a 100% uniform sample) and records a verdict per lookup, `fail` when the matched
 * answer differs from the reference. Lookups without a match or reference are left unjudged.
 */
export async function labelCacheLookups(db: Db, ids: string[]): Promise<number> {
  const r = await db.query<{ id: string }>(
    `with picked as (
       insert into samples (source, event_id, task_type, reason, event_ts, status)
       select 'cache', c.id, coalesce(c.task_type, 'default'), case when c.hit then 'hit' else 'near_miss' end, c.ts, 'judged'
         from cache_lookups c where c.id = any($1::text[]) and c.result is not null and c.reference is not null
       on conflict (source, event_id) do nothing returning id, event_id)
     insert into judgments (sample_id, verdict, provider, method, reason)
     select p.id, case when c.result = c.reference then 'pass' else 'fail' end, 'offline', 'exact', 'result vs reference'
       from picked p join cache_lookups c on c.id = p.event_id
     returning sample_id::text as id`,
    [ids],
  );
  return r.rows.length;
}
