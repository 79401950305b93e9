import type { Queryable } from '../db/db.js';
import { HASH_BUCKETS, type StratumAllocation, type StratumVolume } from './allocate-sample.js';

/**
 * Event sequence numbers already considered by the sampler, per source, and the volumes counted so
 * far per stratum of recent days (key `source|reason|class|day`), so a day's V never needs a re-read.
 */
export interface SamplerWatermark {
  routing: number;
  cache: number;
  volumes: Record<string, number>;
}

/** The key of a stratum in SamplerWatermark.volumes. */
export function stratumKey(v: Pick<StratumVolume, 'source' | 'reason' | 'taskType' | 'day'>): string {
  return `${v.source}|${v.reason}|${v.taskType}|${v.day}`;
}

/** Per-class cache thresholds and the near-miss band, as the cache lookups are classified. */
export interface CacheBand {
  defaultThreshold: number;
  thresholds: Record<string, number>;
  nearMissBand: number;
}

/** Rows inserted into `samples`, per stratum. */
export interface DrawnCount {
  taskType: string;
  reason: string;
  day: string;
  sampled: number;
}

const WATERMARK_KEY = 'sampler:watermark';

/** Reads the watermark (zeros before the first run), locking the row for the transaction. */
export async function readWatermark(q: Queryable): Promise<SamplerWatermark> {
  const r = await q.query<{ value: Partial<SamplerWatermark> }>(`select value from driftwatch_state where key = $1 for update`, [WATERMARK_KEY]);
  const v = r.rows[0]?.value ?? {};
  return { routing: Number(v.routing ?? 0), cache: Number(v.cache ?? 0), volumes: v.volumes ?? {} };
}

export async function writeWatermark(q: Queryable, w: SamplerWatermark): Promise<void> {
  await q.query(
    `insert into driftwatch_state (key, value, updated_at) values ($1, $2, now())
     on conflict (key) do update set value = excluded.value, updated_at = now()`,
    [WATERMARK_KEY, JSON.stringify(w)],
  );
}

/** Highest seq in (watermark, horizon], and how many events lie there (the rows this run reads). */
export async function readNewRange(q: Queryable, table: 'routing_events' | 'cache_lookups', after: number, horizon: number): Promise<{ upTo: number; count: number }> {
  const r = await q.query<{ upto: string | null; n: string }>(`select max(seq)::text as upto, count(*)::text as n from ${table} where seq > $1 and seq <= $2`, [after, horizon]);
  return { upTo: Number(r.rows[0]?.upto ?? after), count: Number(r.rows[0]?.n ?? 0) };
}

/** New routing events per (class, UTC day) above the watermark: one pass over the new rows only. */
export async function routingVolumes(q: Queryable, after: number, upTo: number): Promise<StratumVolume[]> {
  const r = await q.query<{ task_type: string; day: string; volume: number }>(
    `select task_type, to_char(day, 'YYYY-MM-DD') as day, volume from (
       select task_type, (ts at time zone 'UTC')::date as day, count(*)::int as volume
       from routing_events where seq > $1 and seq <= $2 group by 1, 2) as v order by 1, 2`,
    [after, upTo],
  );
  return r.rows.map((x) => ({ source: 'routing', reason: 'routing', taskType: x.task_type, day: x.day, volume: x.volume }));
}

/** Where the salt's inclusion window starts: an event is drawn when its key lies in [start, start + threshold) mod 1e6. */
export async function saltWindowStart(q: Queryable, salt: string): Promise<number> {
  const r = await q.query<{ lo: number }>(`select ((1000000 - (hashtext($1::text) & 2147483647) % 1000000) % 1000000)::int as lo`, [salt]);
  return r.rows[0]!.lo;
}

/** An event's sample key in SQL, as migration 006 stores it in routing_events.sample_key. */
const sampleKeySql = (id: string) => `(hashtext(${id}) & 2147483647) % 1000000`;

/** The inclusion test: the key lies in [start, start + threshold) mod 1e6. */
const inclusionSql = (key: string, start: string, threshold: string) => `(${key} - ${start} + 1000000) % 1000000 < ${threshold}`;

/** How a draw reads routing_events: index ranges per stratum, or one pass over the new rows. */
export type DrawPlan = 'strata-index' | 'range-pass';

/**
 * The cheaper plan for this draw. The strata plan reads the window's share of every row of each
 * (class, day) stratum, old rows of those days included; the range pass reads every new row once.
 * An index entry costs about three rows of the pass (bench/sampling.ts), so the strata plan wins
 * when sampling a few percent of a large range, the pass when most new rows are drawn anyway or
 * when a small new batch joins a day that already holds many rows.
 */
export function chooseDrawPlan(alloc: StratumAllocation[], newRows: number): DrawPlan {
  const entries = alloc.reduce((n, a) => n + (a.threshold / HASH_BUCKETS) * a.volume, 0);
  return entries * 3 < newRows ? 'strata-index' : 'range-pass';
}

/**
 * The ids of `strata` (rows of task_type, day, threshold) above `where` whose sample key lies in the
 * window that starts at `start`, by either plan; both return exactly the same ids. `wraps` false
 * (no stratum's start + threshold passes 1,000,000) drops the empty wrapped range.
 */
export function stratumPickSql(strata: string, where: string, start: string, plan: DrawPlan = 'strata-index', wraps = true): string {
  if (plan === 'range-pass') {
    return `select e.id from routing_events e join (${strata}) as a on a.task_type = e.task_type and a.day = e.utc_day
             where ${where} and ${inclusionSql('e.sample_key', start, 'a.threshold')}`;
  }
  const range = (cond: string) =>
    `select e.id from routing_events e where e.task_type = a.task_type and e.utc_day = a.day and ${where} and ${cond}`;
  const window = range(`e.sample_key >= ${start} and e.sample_key < least(${start} + a.threshold, 1000000)`);
  // no stratum's window passes 1,000,000: one range each (the wrapped part would be empty)
  if (!wraps) return `select s.id from (${strata}) as a cross join lateral (${window}) as s`;
  return `select s.id from (${strata}) as a cross join lateral (
         ${window}
         union all
         ${range(`e.sample_key < greatest(${start} + a.threshold - 1000000, 0)`)}) as s`;
}

/**
 * Draws routing events above the watermark by their sample key; returns what was inserted per stratum.
 * Events an app logged with `metadata.shadow: true` (the cheap model run on a request the
 * premium model served, while a class is escalated) are drawn with reason `shadow`.
 */
export async function drawRouting(q: Queryable, after: number, upTo: number, alloc: StratumAllocation[], start: number, runId: string, plan: DrawPlan): Promise<DrawnCount[]> {
  const strata = `select * from unnest($3::text[], $4::date[], $5::int[]) as a(task_type, day, threshold)`;
  const r = await q.query<{ task_type: string; reason: string; day: string; n: number }>(
    `with picked as (${stratumPickSql(strata, 'e.seq > $1 and e.seq <= $2', '$6::int', plan, alloc.some((a) => start + a.threshold > HASH_BUCKETS))}),
     ins as (
       insert into samples (source, event_id, task_type, reason, event_ts, run_id)
       select 'routing', e.id, e.task_type, case when e.metadata->>'shadow' = 'true' then 'shadow' else 'routing' end, e.ts, $7
       from picked p join routing_events e on e.id = p.id
       on conflict (source, event_id) do nothing
       returning task_type, reason, event_ts)
     select task_type, reason, to_char((event_ts at time zone 'UTC')::date, 'YYYY-MM-DD') as day, count(*)::int as n from ins group by 1, 2, 3`,
    [after, upTo, alloc.map((a) => a.taskType), alloc.map((a) => a.day), alloc.map((a) => a.threshold), start, runId],
  );
  return r.rows.map((x) => ({ taskType: x.task_type, reason: x.reason, day: x.day, sampled: x.n }));
}

// Classifies a lookup as a hit, a near-miss (just under its threshold) or neither (null).
const CACHE_REASON = `case when l.hit then 'hit'
  when l.similarity < coalesce(l.threshold, t.threshold, $5) and l.similarity >= coalesce(l.threshold, t.threshold, $5) - $6 then 'near_miss' end`;
const CACHE_CLASS = `coalesce(l.task_type, '(untyped)')`;
const THRESHOLDS = `left join unnest($3::text[], $4::float8[]) as t(task_type, threshold) on t.task_type = l.task_type`;

function bandParams(b: CacheBand): unknown[] {
  return [Object.keys(b.thresholds), Object.values(b.thresholds), b.defaultThreshold, b.nearMissBand];
}

/** New cache hits and near-misses per (class, UTC day, reason) above the watermark. */
export async function cacheVolumes(q: Queryable, after: number, upTo: number, band: CacheBand): Promise<StratumVolume[]> {
  const r = await q.query<{ task_type: string; day: string; reason: string; volume: number }>(
    `with c as (select ${CACHE_CLASS} as task_type, (l.ts at time zone 'UTC')::date as day, ${CACHE_REASON} as reason
                from cache_lookups l ${THRESHOLDS} where l.seq > $1 and l.seq <= $2)
     select task_type, to_char(day, 'YYYY-MM-DD') as day, reason, count(*)::int as volume from c where reason is not null group by 1, 2, 3 order by 1, 2, 3`,
    [after, upTo, ...bandParams(band)],
  );
  return r.rows.map((x) => ({ source: 'cache', reason: x.reason, taskType: x.task_type, day: x.day, volume: x.volume }));
}

/** Draws cache hits and near-misses above the watermark by the same inclusion rule (computed per row). */
export async function drawCache(q: Queryable, after: number, upTo: number, band: CacheBand, alloc: StratumAllocation[], start: number, runId: string): Promise<DrawnCount[]> {
  const r = await q.query<{ task_type: string; reason: string; day: string; n: number }>(
    `with c as (select l.id, l.ts, ${CACHE_CLASS} as task_type, (l.ts at time zone 'UTC')::date as day, ${CACHE_REASON} as reason
                from cache_lookups l ${THRESHOLDS} where l.seq > $1 and l.seq <= $2),
     a as (select * from unnest($7::text[], $8::date[], $9::text[], $10::int[]) as a(task_type, day, reason, threshold)),
     ins as (
       insert into samples (source, event_id, task_type, reason, event_ts, run_id, inclusion_prob)
       select 'cache', c.id, c.task_type, c.reason, c.ts, $12, a.threshold / 1000000.0
       from c join a on a.task_type = c.task_type and a.day = c.day and a.reason = c.reason
       where ${inclusionSql(sampleKeySql('c.id'), '$11::int', 'a.threshold')}
       on conflict (source, event_id) do nothing
       returning task_type, reason, event_ts)
     select task_type, reason, to_char((event_ts at time zone 'UTC')::date, 'YYYY-MM-DD') as day, count(*)::int as n from ins group by 1, 2, 3`,
    [after, upTo, ...bandParams(band), alloc.map((a) => a.taskType), alloc.map((a) => a.day), alloc.map((a) => a.reason), alloc.map((a) => a.threshold), start, runId],
  );
  return r.rows.map((x) => ({ taskType: x.task_type, reason: x.reason, day: x.day, sampled: x.n }));
}
