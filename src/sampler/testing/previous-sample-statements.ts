// The sample run's statements as they were before issue 15 and before migration 013, verbatim, for
// the tests that compare old and new on the same data (sample-insert-identical.test.ts) and for
// bench/sample-insert.ts, which times them beside the new ones. Not shipped (src/**/testing/**).
import type { Queryable } from '../../db/db.js';
import { type DrawPlan, stratumPickSql } from '../stratum-pick.js';

/** Volumes before issue 15: the UTC day recomputed from ts on every row. */
export const OLD_VOLUMES = `select task_type, to_char(day, 'YYYY-MM-DD') as day, volume, latest from (
       select task_type, (ts at time zone 'UTC')::date as day, count(*)::int as volume, max(ts) as latest
       from routing_events where seq > $1 and seq <= $2 group by 1, 2) as v order by 1, 2`;

/** The strata parameters every draw statement here takes: $3 classes, $4 days, $5 thresholds. */
export const STRATA_PARAMS_SQL = `select * from unnest($3::text[], $4::date[], $5::int[]) as a(task_type, day, threshold)`;

const insertTail = `on conflict (source, event_id) do nothing
       returning task_type, reason, event_ts)
     select task_type, reason, to_char((event_ts at time zone 'UTC')::date, 'YYYY-MM-DD') as day, count(*)::int as n from ins group by 1, 2, 3`;

/** The insert before issue 15: every drawn id joined back to routing_events through the text primary key. */
export function primaryKeyJoinDrawSql(plan: DrawPlan, wraps: boolean): string {
  return `with picked as (${stratumPickSql(STRATA_PARAMS_SQL, 'e.seq > $1 and e.seq <= $2', '$6::int', plan, wraps)}),
     ins as (
       insert into samples (source, event_id, task_type, reason, event_ts, run_id, inclusion_prob)
       select 'routing', e.id, e.task_type, case when e.metadata->>'shadow' = 'true' then 'shadow' else 'routing' end, e.ts, $7, p.threshold / 1000000.0
       from picked p join routing_events e on e.id = p.id
       ${insertTail}`;
}

/** The insert before migration 013: ts and metadata read from each drawn event's heap tuple, `on conflict` per row. */
export function heapRowsDrawSql(plan: DrawPlan, wraps: boolean): string {
  const columns = `e.id, e.task_type, e.ts, e.metadata->>'shadow' = 'true' as shadow`;
  return `with picked as (${stratumPickSql(STRATA_PARAMS_SQL, 'e.seq > $1 and e.seq <= $2', '$6::int', plan, wraps, columns)}),
     ins as (
       insert into samples (source, event_id, task_type, reason, event_ts, run_id, inclusion_prob)
       select 'routing', p.id, p.task_type, case when p.shadow then 'shadow' else 'routing' end, p.ts, $7, p.threshold / 1000000.0
       from picked p
       ${insertTail}`;
}

/** One stratum per (class, day) at one threshold, as drawRouting takes them. */
export interface TestStratum {
  taskType: string;
  day: string;
  threshold: number;
}

/** Runs one of the statements above with drawRouting's parameters; returns its per-stratum counts. */
export async function runPreviousDraw(
  q: Queryable,
  sql: string,
  args: { after: number; upTo: number; strata: TestStratum[]; start: number; runId: string },
): Promise<{ taskType: string; reason: string; day: string; sampled: number }[]> {
  const r = await q.query<{ task_type: string; reason: string; day: string; n: number }>(sql, [
    args.after,
    args.upTo,
    args.strata.map((a) => a.taskType),
    args.strata.map((a) => a.day),
    args.strata.map((a) => a.threshold),
    args.start,
    args.runId,
  ]);
  return r.rows.map((x) => ({ taskType: x.task_type, reason: x.reason, day: x.day, sampled: x.n }));
}

/** OLD_VOLUMES' rows in routingVolumes' shape. */
export async function previousVolumes(q: Queryable, after: number, upTo: number) {
  const r = await q.query<{ task_type: string; day: string; volume: number; latest: Date | string }>(OLD_VOLUMES, [
    after,
    upTo,
  ]);
  return r.rows.map((x) => ({
    source: 'routing',
    reason: 'routing',
    taskType: x.task_type,
    day: x.day,
    volume: x.volume,
    latestTs: new Date(x.latest).toISOString(),
  }));
}
