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
  const r = await db.query<{ task_type: string; reason: string; similarity: number; verdict: string; inclusion_prob: number | null }>(
    `select s.task_type, s.reason, c.similarity, j.verdict, s.inclusion_prob
       from samples s join judgments j on j.sample_id = s.id join cache_lookups c on c.id = s.event_id
      where s.source = 'cache' and ($1::text is null or s.task_type = $1)
      order by s.id`,
    [taskType ?? null],
  );
  return r.rows.map((x) => ({
    taskType: x.task_type, reason: x.reason, similarity: Number(x.similarity), falseHit: x.verdict === 'fail',
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

/** All logged lookups per task class as (similarity to 0.001, count), for hit shares. */
export async function loadLookupPopulation(db: Db, taskType?: string): Promise<Map<string, { similarity: number; count: number }[]>> {
  const r = await db.query<{ task_type: string; s: number; n: string }>(
    `select coalesce(task_type, 'default') as task_type, floor(similarity * 1000 + 1e-9) / 1000 as s, count(*)::text as n
       from cache_lookups where ($1::text is null or coalesce(task_type, 'default') = $1) group by 1, 2`,
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

/** Lookups served as hits per task class (the traffic weight of a pooled figure). */
export async function loadHitVolumes(db: Db, taskType?: string): Promise<Map<string, number>> {
  const r = await db.query<{ task_type: string; n: string }>(
    `select coalesce(task_type, 'default') as task_type, count(*)::text as n
       from cache_lookups where hit and ($1::text is null or coalesce(task_type, 'default') = $1) group by 1`,
    [taskType ?? null],
  );
  return new Map(r.rows.map((x) => [x.task_type, Number(x.n)]));
}
