import type { Db } from '../db/db.js';
import { type JudgedLookup, START_SAMPLES } from './false-hit-curve.js';

/** A judged cache candidate with its task class and the sampler's stratum (hit or near_miss). */
export interface ClassedJudgedLookup extends JudgedLookup {
  taskType: string;
  reason: string;
}

/** loadStartSamples' statement (exported for bench/nightly-run.ts, which checks its plan). */
export const START_SAMPLES_SQL = `with recursive classes as (
       (select task_type from samples where source = 'cache' and ($1::text is null or task_type = $1) order by task_type limit 1)
       union all
       select (select s.task_type from samples s
                where s.source = 'cache' and s.task_type > c.task_type and ($1::text is null or s.task_type = $1)
                order by s.task_type limit 1)
         from classes c where c.task_type is not null)
     select c.task_type, x.similarity
       from classes c
       cross join lateral (select s.id, l.similarity from samples s join cache_lookups l on l.id = s.event_id
                            where s.source = 'cache' and s.task_type = c.task_type order by s.id limit $2) x
      where c.task_type is not null
      order by c.task_type, x.id`;

/**
 * Similarities of each class's first START_SAMPLES cache samples (judged or not, in draw order):
 * drawn before any verdict on them, they fix where the class's step-down starts on every night.
 * Read through samples_cache_draw (task_type, id): a loose scan for the classes, then at most
 * START_SAMPLES entries a class, however many cache samples the history holds.
 */
export async function loadStartSamples(db: Db, taskType?: string): Promise<Map<string, number[]>> {
  // per class of an unknown number, its estimate passes PostgreSQL's JIT threshold: compiling
  // would cost more than the few thousand probes it runs
  const r = await db.transaction(
    async (tx) => {
      await tx.query('set local jit = off');
      return tx.query<{ task_type: string; similarity: number }>(START_SAMPLES_SQL, [taskType ?? null, START_SAMPLES]);
    },
    { retry: true },
  );
  const out = new Map<string, number[]>();
  for (const x of r.rows) out.set(x.task_type, [...(out.get(x.task_type) ?? []), Number(x.similarity)]);
  return out;
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
