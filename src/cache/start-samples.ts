import type { Db } from '../db/db.js';
import { START_SAMPLES } from './false-hit-curve.js';
import { jsonColumn } from '../db/json-column.js';

/** loadStartSamples' statement (exported for bench/nightly-run.ts, which checks its plan). */
export const START_SAMPLES_SQL = `with recursive classes as (
       (select task_type from samples where source = 'cache' and ($1::text is null or task_type = $1) order by task_type limit 1)
       union all
       select (select s.task_type from samples s
                where s.source = 'cache' and s.task_type > c.task_type and ($1::text is null or s.task_type = $1)
                order by s.task_type limit 1)
         from classes c where c.task_type is not null)
     select c.task_type, x.similarity, x.sampled_at < now() - interval '1 hour' as settled
       from classes c
       cross join lateral (select s.id, s.sampled_at, l.similarity from samples s join cache_lookups l on l.id = s.event_id
                            -- (task_type, id) is samples_cache_draw's order: ordered by id alone, the planner
                            -- walked the primary key over every sample for a class with fewer than $2
                            where s.source = 'cache' and s.task_type = c.task_type order by s.task_type, s.id limit $2) x
      where c.task_type is not null and not (c.task_type = any($3::text[]))
      order by c.task_type, x.id`;

/**
 * Similarities of each class's first START_SAMPLES cache samples (judged or not, in draw order):
 * drawn before any verdict on them, they fix where the class's step-down starts on every night.
 * A class that has them all, drawn over an hour ago (no sampler still committing an earlier id), is
 * stored in cache_start_samples (migration 014) and read from there; the others through
 * samples_cache_draw (task_type, id): a loose scan for the classes, at most START_SAMPLES a class.
 */
export async function loadStartSamples(db: Db, taskType?: string): Promise<Map<string, number[]>> {
  return db.transaction(
    async (tx) => {
      // per class of an unknown number, its estimate passes PostgreSQL's JIT threshold: compiling
      // would cost more than the few thousand probes it runs
      await tx.query('set local jit = off');
      const kept = await tx.query<{ task_type: string; similarities: unknown }>(
        'select task_type, similarities from cache_start_samples where ($1::text is null or task_type = $1)',
        [taskType ?? null],
      );
      const out = new Map<string, number[]>();
      for (const x of kept.rows) out.set(x.task_type, jsonColumn<number[]>(x.similarities));
      const r = await tx.query<{ task_type: string; similarity: number; settled: boolean }>(START_SAMPLES_SQL, [
        taskType ?? null,
        START_SAMPLES,
        [...out.keys()],
      ]);
      const read = new Map<string, { similarities: number[]; settled: boolean }>();
      for (const x of r.rows) {
        const c = read.get(x.task_type) ?? { similarities: [], settled: true };
        c.similarities.push(Number(x.similarity));
        c.settled &&= x.settled;
        read.set(x.task_type, c);
      }
      for (const [taskType, c] of read) {
        out.set(taskType, c.similarities);
        if (c.settled && c.similarities.length === START_SAMPLES)
          await tx.query(
            'insert into cache_start_samples (task_type, similarities) values ($1, $2) on conflict (task_type) do nothing',
            [taskType, JSON.stringify(c.similarities)],
          );
      }
      return out;
    },
    { retry: true },
  );
}
