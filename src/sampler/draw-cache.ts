import type { Queryable } from '../db/db.js';
import type { StratumAllocation, StratumVolume } from './allocate-sample.js';
import type { DrawnCount } from './draw-routing.js';
import { inclusionSql, sampleKeySql } from './stratum-pick.js';

/** Per-class cache thresholds and the near-miss band, as the cache lookups are classified. */
export interface CacheBand {
  defaultThreshold: number;
  thresholds: Record<string, number>;
  nearMissBand: number;
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
export async function cacheVolumes(
  q: Queryable,
  after: number,
  upTo: number,
  band: CacheBand,
): Promise<StratumVolume[]> {
  const r = await q.query<{ task_type: string; day: string; reason: string; volume: number; latest: Date | string }>(
    `with c as (select ${CACHE_CLASS} as task_type, l.ts, (l.ts at time zone 'UTC')::date as day, ${CACHE_REASON} as reason
                from cache_lookups l ${THRESHOLDS} where l.seq > $1 and l.seq <= $2)
     select task_type, to_char(day, 'YYYY-MM-DD') as day, reason, count(*)::int as volume, max(ts) as latest from c where reason is not null group by 1, 2, 3 order by 1, 2, 3`,
    [after, upTo, ...bandParams(band)],
  );
  return r.rows.map((x) => ({
    source: 'cache',
    reason: x.reason,
    taskType: x.task_type,
    day: x.day,
    volume: x.volume,
    latestTs: new Date(x.latest).toISOString(),
  }));
}

/** Draws cache hits and near-misses above the watermark by the same inclusion rule (computed per row). */
export async function drawCache(
  q: Queryable,
  after: number,
  upTo: number,
  band: CacheBand,
  alloc: StratumAllocation[],
  start: number,
  runId: string,
): Promise<DrawnCount[]> {
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
    [
      after,
      upTo,
      ...bandParams(band),
      alloc.map((a) => a.taskType),
      alloc.map((a) => a.day),
      alloc.map((a) => a.reason),
      alloc.map((a) => a.threshold),
      start,
      runId,
    ],
  );
  return r.rows.map((x) => ({ taskType: x.task_type, reason: x.reason, day: x.day, sampled: x.n }));
}
