import type { Queryable } from '../db/db.js';
import { HASH_BUCKETS, type StratumAllocation, type StratumVolume } from './allocate-sample.js';
import { type DrawPlan, stratumPickSql } from './stratum-pick.js';

/** Rows inserted into `samples`, per stratum. */
export interface DrawnCount {
  taskType: string;
  reason: string;
  day: string;
  sampled: number;
}

type VolumeRow = { task_type: string; day: string; volume: number; latest: Date | string };

/**
 * New routing events per (class, UTC day) above the watermark, with each stratum's latest ts. Read
 * from routing_event_counts (migration 013: one row per insert statement and stratum), so the cost
 * follows the number of insert statements, not of events; when a counts row straddles an end of the
 * range (a writer outside the event-writers fence), counted from the new events themselves instead.
 */
export async function routingVolumes(q: Queryable, after: number, upTo: number): Promise<StratumVolume[]> {
  const straddles = await q.query(
    `select 1 from routing_event_counts where last_seq > $1 and first_seq <= $2 and not (first_seq > $1 and last_seq <= $2) limit 1`,
    [after, upTo],
  );
  const rows = straddles.rows.length > 0 ? await scanVolumes(q, after, upTo) : await countedVolumes(q, after, upTo);
  return rows.map((x) => ({
    source: 'routing',
    reason: 'routing',
    taskType: x.task_type,
    day: x.day,
    volume: x.volume,
    latestTs: new Date(x.latest).toISOString(),
  }));
}

async function countedVolumes(q: Queryable, after: number, upTo: number): Promise<VolumeRow[]> {
  const r = await q.query<VolumeRow>(
    `select task_type, to_char(utc_day, 'YYYY-MM-DD') as day, sum(events)::int as volume, max(latest_ts) as latest
       from routing_event_counts where last_seq > $1 and last_seq <= $2 group by task_type, utc_day order by 1, 2`,
    [after, upTo],
  );
  return r.rows;
}

/**
 * One pass over the new rows, grouping by the stored day (migration 006); each stratum's latest ts
 * is then one backward probe of routing_events_task_ts.
 */
export async function scanVolumes(q: Queryable, after: number, upTo: number): Promise<VolumeRow[]> {
  const r = await q.query<VolumeRow>(
    `select v.task_type, to_char(v.utc_day, 'YYYY-MM-DD') as day, v.volume, l.latest from (
       select task_type, utc_day, count(*)::int as volume
       from routing_events where seq > $1 and seq <= $2 group by 1, 2) as v
     cross join lateral (
       select max(e.ts) as latest from routing_events e
        where e.task_type = v.task_type and e.ts >= v.utc_day::timestamp at time zone 'UTC' and e.ts < (v.utc_day + 1)::timestamp at time zone 'UTC'
          and e.seq > $1 and e.seq <= $2) as l
     order by 1, 2`,
    [after, upTo],
  );
  return r.rows;
}

/** What a drawn routing event contributes to its `samples` row: all of it is in routing_events_strata (migration 013). */
export const DRAWN_COLUMNS = 'e.id, e.task_type, e.ts, e.seq';

/** How the insert skips events that already have a sample (a verdict ingest may have drawn them). */
type SkipExisting = 'not-exists' | 'on-conflict';

function drawInsertSql(pick: string, skip: SkipExisting): string {
  return `with picked as (${pick}),
     ins as (
       insert into samples (source, event_id, task_type, reason, event_ts, run_id, inclusion_prob)
       select 'routing', p.id, p.task_type, case when sh.seq is not null then 'shadow' else 'routing' end, p.ts, $7, p.threshold / 1000000.0
       from picked p
       left join (select seq from routing_events where metadata->>'shadow' = 'true' and seq > $1 and seq <= $2) as sh on sh.seq = p.seq
       ${skip === 'not-exists' ? `where not exists (select 1 from samples s where s.source = 'routing' and s.event_id = p.id)` : ''}
       order by p.ts, p.id
       ${skip === 'on-conflict' ? 'on conflict (source, event_id) do nothing' : ''}
       returning task_type, reason, event_ts)
     select task_type, reason, to_char(day, 'YYYY-MM-DD') as day, n from (
       select task_type, reason, (event_ts at time zone 'UTC')::date as day, count(*)::int as n from ins group by 1, 2, 3) as g`;
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'pg_23505';

/**
 * Draws routing events above the watermark by their sample key; returns what was inserted per stratum.
 * Runs inside a transaction (it sets a savepoint). Events an app logged with `metadata.shadow: true`
 * (the cheap model run on a request the premium model served, while a class is escalated) are drawn
 * with reason `shadow`. The rows come from the strata index itself (no lookup through the text
 * primary key, no heap page per drawn event once vacuumed). Events that already have a sample are
 * skipped with `not exists`, which costs a probe instead of `on conflict`'s speculative-insertion lock
 * per row; only when a concurrent verdict ingest inserts one of the same samples meanwhile (a unique
 * violation) is the statement rerun with `on conflict do nothing`, so the result is the same.
 * Rows go in by event time (then id): the samples indexes fill a few leaves at a time instead of one
 * random leaf per row (1.57x -> 1.20x TABLESAMPLE's insert on 2M events), and samples.id, the order
 * `judge --limit` takes pending samples in, runs oldest event first across classes.
 */
export async function drawRouting(
  q: Queryable,
  after: number,
  upTo: number,
  alloc: StratumAllocation[],
  start: number,
  runId: string,
  plan: DrawPlan,
): Promise<DrawnCount[]> {
  const strata = `select * from unnest($3::text[], $4::date[], $5::int[]) as a(task_type, day, threshold)`;
  const wraps = alloc.some((a) => start + a.threshold > HASH_BUCKETS);
  const pick = stratumPickSql(strata, 'e.seq > $1 and e.seq <= $2', '$6::int', plan, wraps, DRAWN_COLUMNS);
  const params = [
    after,
    upTo,
    alloc.map((a) => a.taskType),
    alloc.map((a) => a.day),
    alloc.map((a) => a.threshold),
    start,
    runId,
  ];
  type Row = { task_type: string; reason: string; day: string; n: number };
  await q.query('savepoint draw_routing');
  let rows: Row[];
  try {
    rows = (await q.query<Row>(drawInsertSql(pick, 'not-exists'), params)).rows;
    await q.query('release savepoint draw_routing');
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    await q.query('rollback to savepoint draw_routing');
    rows = (await q.query<Row>(drawInsertSql(pick, 'on-conflict'), params)).rows;
  }
  return rows.map((x) => ({ taskType: x.task_type, reason: x.reason, day: x.day, sampled: x.n }));
}
