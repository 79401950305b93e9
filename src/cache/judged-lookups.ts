import type { Db } from '../db/db.js';
import type { JudgedLookup } from './false-hit-curve.js';

/** A judged cache candidate with its task class. */
export interface ClassedJudgedLookup extends JudgedLookup {
  taskType: string;
}

/** Judged cache samples (source = 'cache'); a false hit is a `fail` verdict on the matched answer. */
export async function loadJudgedLookups(db: Db, taskType?: string): Promise<ClassedJudgedLookup[]> {
  const r = await db.query<{ task_type: string; similarity: number; verdict: string }>(
    `select s.task_type, c.similarity, j.verdict
       from samples s join judgments j on j.sample_id = s.id join cache_lookups c on c.id = s.event_id
      where s.source = 'cache' and ($1::text is null or s.task_type = $1)`,
    [taskType ?? null],
  );
  return r.rows.map((x) => ({ taskType: x.task_type, similarity: Number(x.similarity), falseHit: x.verdict === 'fail' }));
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
