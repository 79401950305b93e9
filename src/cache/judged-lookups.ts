import type { Db } from '../db/db.js';
import type { JudgedLookup } from './false-hit-curve.js';
import { START_SAMPLES } from './false-hit-curve.js';

/** A judged cache candidate with its task class and the sampler's stratum (hit or near_miss). */
export interface ClassedJudgedLookup extends JudgedLookup {
  taskType: string;
  reason: string;
}

/**
 * Judged cache samples (source = 'cache') in the order they were drawn; a false hit is a `fail`
 * verdict on the matched answer; inclusionProb is the probability the sampler drew the lookup with.
 */
export async function loadJudgedLookups(db: Db, taskType?: string): Promise<ClassedJudgedLookup[]> {
  const r = await db.query<{
    task_type: string;
    reason: string;
    similarity: number;
    verdict: string;
    inclusion_prob: number | null;
  }>(
    `select s.task_type, s.reason, c.similarity, j.verdict, s.inclusion_prob
       from samples s join judgments j on j.sample_id = s.id join cache_lookups c on c.id = s.event_id
      where s.source = 'cache' and ($1::text is null or s.task_type = $1)
      order by s.id`,
    [taskType ?? null],
  );
  return r.rows.map((x) => ({
    taskType: x.task_type,
    reason: x.reason,
    similarity: Number(x.similarity),
    falseHit: x.verdict === 'fail',
    inclusionProb: x.inclusion_prob === null ? null : Number(x.inclusion_prob),
  }));
}

/**
 * Similarities of each class's first START_SAMPLES cache samples (judged or not, in draw order):
 * drawn before any verdict on them, they fix where the class's step-down starts on every night.
 */
export async function loadStartSamples(db: Db, taskType?: string): Promise<Map<string, number[]>> {
  const r = await db.query<{ task_type: string; similarity: number }>(
    `select task_type, similarity from (
       select s.task_type, c.similarity, s.id, row_number() over (partition by s.task_type order by s.id) as rn
         from samples s join cache_lookups c on c.id = s.event_id
        where s.source = 'cache' and ($1::text is null or s.task_type = $1)) x
      where rn <= $2 order by task_type, id`,
    [taskType ?? null, START_SAMPLES],
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
