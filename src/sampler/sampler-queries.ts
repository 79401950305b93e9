import type { Queryable } from '../db/db.js';
import {
  expectedDailyVolume,
  HASH_BUCKETS,
  stratumBaseRate,
  type AllocationOptions,
  type StratumAllocation,
  type StratumVolume,
  type VolumeBasis,
} from './allocate-sample.js';

/**
 * Event sequence numbers already considered by the sampler, per source, and the volumes counted so
 * far per stratum of recent days (key `source|reason|class|day`), so a day's V never needs a re-read.
 */
export interface SamplerWatermark {
  routing: number;
  cache: number;
  volumes: Record<string, number>;
  /** The routing seq range (from, to] the last run read and the boost it drew each class with (for a same-run top-up). */
  last?: { routing: [number, number]; boost: Record<string, number> };
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
  const r = await q.query<{ value: Partial<SamplerWatermark> }>(
    `select value from driftwatch_state where key = $1 for update`,
    [WATERMARK_KEY],
  );
  const v = r.rows[0]?.value ?? {};
  return {
    routing: Number(v.routing ?? 0),
    cache: Number(v.cache ?? 0),
    volumes: v.volumes ?? {},
    ...(v.last ? { last: v.last } : {}),
  };
}

export async function writeWatermark(q: Queryable, w: SamplerWatermark): Promise<void> {
  await q.query(
    `insert into driftwatch_state (key, value, updated_at) values ($1, $2, now())
     on conflict (key) do update set value = excluded.value, updated_at = now()`,
    [WATERMARK_KEY, JSON.stringify(w)],
  );
}

/** Highest seq in (watermark, horizon], and how many events lie there (the rows this run reads). */
export async function readNewRange(
  q: Queryable,
  table: 'routing_events' | 'cache_lookups',
  after: number,
  horizon: number,
): Promise<{ upTo: number; count: number }> {
  const r = await q.query<{ upto: string | null; n: string }>(
    `select max(seq)::text as upto, count(*)::text as n from ${table} where seq > $1 and seq <= $2`,
    [after, horizon],
  );
  return { upTo: Number(r.rows[0]?.upto ?? after), count: Number(r.rows[0]?.n ?? 0) };
}

/**
 * New routing events per (class, UTC day) above the watermark: one pass over the new rows only,
 * grouping by the stored day (migration 006) rather than converting every row's ts; each stratum's
 * latest ts is then one backward probe of routing_events_task_ts.
 */
export async function routingVolumes(q: Queryable, after: number, upTo: number): Promise<StratumVolume[]> {
  const r = await q.query<{ task_type: string; day: string; volume: number; latest: Date | string }>(
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
  return r.rows.map((x) => ({
    source: 'routing',
    reason: 'routing',
    taskType: x.task_type,
    day: x.day,
    volume: x.volume,
    latestTs: new Date(x.latest).toISOString(),
  }));
}

/** Where the salt's inclusion window starts: an event is drawn when its key lies in [start, start + threshold) mod 1e6. */
export async function saltWindowStart(q: Queryable, salt: string): Promise<number> {
  const r = await q.query<{ lo: number }>(
    `select ((1000000 - (hashtext($1::text) & 2147483647) % 1000000) % 1000000)::int as lo`,
    [salt],
  );
  return r.rows[0]!.lo;
}

/** An event's sample key in SQL, as migration 006 stores it in routing_events.sample_key. */
const sampleKeySql = (id: string) => `(hashtext(${id}) & 2147483647) % 1000000`;

/** The inclusion test: the key lies in [start, start + threshold) mod 1e6. */
const inclusionSql = (key: string, start: string, threshold: string) =>
  `(${key} - ${start} + 1000000) % 1000000 < ${threshold}`;

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
 * (no stratum's start + threshold passes 1,000,000) drops the empty wrapped range. `columns` are the
 * event's columns to return beside the stratum's threshold (only `e.id` keeps the scan index-only).
 */
export function stratumPickSql(
  strata: string,
  where: string,
  start: string,
  plan: DrawPlan = 'strata-index',
  wraps = true,
  columns = 'e.id',
): string {
  if (plan === 'range-pass') {
    return `select ${columns}, a.threshold from routing_events e join (${strata}) as a on a.task_type = e.task_type and a.day = e.utc_day
             where ${where} and ${inclusionSql('e.sample_key', start, 'a.threshold')}`;
  }
  // offset 0 keeps each range a parameterized scan of routing_events_strata per stratum: with columns
  // beyond the index's, the planner would otherwise flatten the lateral into a hash join over a
  // sequential scan of the whole table
  const range = (cond: string) =>
    `(select ${columns} from routing_events e where e.task_type = a.task_type and e.utc_day = a.day and ${where} and ${cond} offset 0)`;
  const window = range(`e.sample_key >= ${start} and e.sample_key < least(${start} + a.threshold, 1000000)`);
  // no stratum's window passes 1,000,000: one range each (the wrapped part would be empty)
  if (!wraps) return `select s.*, a.threshold from (${strata}) as a cross join lateral (${window}) as s`;
  return `select s.*, a.threshold from (${strata}) as a cross join lateral (
         ${window}
         union all
         ${range(`e.sample_key < greatest(${start} + a.threshold - 1000000, 0)`)}) as s`;
}

/** What a drawn routing event contributes to its `samples` row. */
const DRAWN_COLUMNS = `e.id, e.task_type, e.ts, e.metadata->>'shadow' = 'true' as shadow`;

/**
 * Draws routing events above the watermark by their sample key; returns what was inserted per stratum.
 * Events an app logged with `metadata.shadow: true` (the cheap model run on a request the
 * premium model served, while a class is escalated) are drawn with reason `shadow`. The rows to
 * insert come straight from the draw's own scan (the strata index entry's heap tuple), not from a
 * second lookup of each drawn id through the text primary key.
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
  const r = await q.query<{ task_type: string; reason: string; day: string; n: number }>(
    `with picked as (${stratumPickSql(
      strata,
      'e.seq > $1 and e.seq <= $2',
      '$6::int',
      plan,
      alloc.some((a) => start + a.threshold > HASH_BUCKETS),
      DRAWN_COLUMNS,
    )}),
     ins as (
       insert into samples (source, event_id, task_type, reason, event_ts, run_id, inclusion_prob)
       select 'routing', p.id, p.task_type, case when p.shadow then 'shadow' else 'routing' end, p.ts, $7, p.threshold / 1000000.0
       from picked p
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

/** A stratum's fixed rate for its day, as stored in `stratum_rates`. */
export interface StratumRate {
  baseRate: number;
  expectedVolume: number;
  basis: VolumeBasis;
}

const TRAILING_DAYS = 7;

/**
 * The base rate of every stratum of this run, fixed once per (source, reason, class, UTC day): an
 * existing `stratum_rates` row is kept; a new day's rate is sized from the expected volume
 * (expectedDailyVolume over the stratum's earlier stored days) and inserted. Every stratum's
 * volume_seen is raised to the day's count so far. A flat rate (`--rate`) is used as given and not stored.
 */
export async function fixStratumRates(
  q: Queryable,
  strata: StratumVolume[],
  options: Pick<AllocationOptions, 'flatRate' | 'floorPerDay' | 'sqrtFactor'>,
  runId: string,
  now: Date,
): Promise<StratumVolume[]> {
  if (strata.length === 0) return [];
  if (options.flatRate !== undefined) return strata.map((v) => ({ ...v, baseRate: stratumBaseRate(0, options) }));
  const keys = [
    strata.map((v) => v.source),
    strata.map((v) => v.reason),
    strata.map((v) => v.taskType),
    strata.map((v) => v.day),
  ];
  const r = await q.query<{
    source: string;
    reason: string;
    task_type: string;
    day: string;
    base_rate: number;
    expected_volume: number;
    basis: VolumeBasis;
    volume_seen: number;
  }>(
    `select r.source, r.reason, r.task_type, to_char(r.day, 'YYYY-MM-DD') as day, r.base_rate, r.expected_volume, r.basis, r.volume_seen
       from stratum_rates r join (select distinct * from unnest($1::text[], $2::text[], $3::text[], $4::date[]) as k(source, reason, task_type, day)) k
         on k.source = r.source and k.reason = r.reason and k.task_type = r.task_type and r.day between k.day - ${TRAILING_DAYS} and k.day`,
    keys,
  );
  const rows = r.rows.map((x) => ({
    ...x,
    base_rate: Number(x.base_rate),
    expected_volume: Number(x.expected_volume),
    volume_seen: Number(x.volume_seen),
  }));
  const out: StratumVolume[] = [];
  const fresh: (StratumVolume & StratumRate)[] = [];
  for (const v of strata) {
    const same = rows.filter((x) => x.source === v.source && x.reason === v.reason && x.task_type === v.taskType);
    const own = same.find((x) => x.day === v.day);
    if (own) {
      out.push({ ...v, baseRate: own.base_rate });
      continue;
    }
    const trailing = same.filter((x) => x.day < v.day).map((x) => x.volume_seen);
    const e = expectedDailyVolume({
      trailing,
      soFar: v.volume,
      day: v.day,
      latestTs: new Date(v.latestTs ?? `${v.day}T23:59:59Z`),
      now,
    });
    const rate = { baseRate: stratumBaseRate(e.volume, options), expectedVolume: e.volume, basis: e.basis };
    fresh.push({ ...v, ...rate });
    out.push({ ...v, baseRate: rate.baseRate });
  }
  if (fresh.length > 0) {
    await q.query(
      `insert into stratum_rates (source, reason, task_type, day, expected_volume, basis, base_rate, run_id)
       select * , $8 from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::float8[], $6::text[], $7::float8[])
       on conflict do nothing`,
      [
        fresh.map((v) => v.source),
        fresh.map((v) => v.reason),
        fresh.map((v) => v.taskType),
        fresh.map((v) => v.day),
        fresh.map((v) => v.expectedVolume),
        fresh.map((v) => v.basis),
        fresh.map((v) => v.baseRate),
        runId,
      ],
    );
  }
  await q.query(
    `update stratum_rates r set volume_seen = greatest(r.volume_seen, k.volume)
       from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::int[]) as k(source, reason, task_type, day, volume)
      where k.source = r.source and k.reason = r.reason and k.task_type = r.task_type and k.day = r.day`,
    [...keys, strata.map((v) => v.volume)],
  );
  return out;
}
