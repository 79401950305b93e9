import type { Queryable } from '../db/db.js';
import {
  expectedDailyVolume,
  stratumBaseRate,
  type AllocationOptions,
  type StratumVolume,
  type VolumeBasis,
} from './allocate-sample.js';

/** A stratum's fixed rate for its day, as stored in `stratum_rates`. */
export interface StratumRate {
  baseRate: number;
  expectedVolume: number;
  basis: VolumeBasis;
}

const TRAILING_DAYS = 7;

interface StoredRate {
  source: string;
  reason: string;
  task_type: string;
  day: string;
  base_rate: number;
  volume_seen: number;
}

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
  const rows = await readStoredRates(q, keys);
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
  if (fresh.length > 0) await insertRates(q, fresh, runId);
  await q.query(
    `update stratum_rates r set volume_seen = greatest(r.volume_seen, k.volume)
       from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::int[]) as k(source, reason, task_type, day, volume)
      where k.source = r.source and k.reason = r.reason and k.task_type = r.task_type and k.day = r.day`,
    [...keys, strata.map((v) => v.volume)],
  );
  return out;
}

/** The stored rows of these strata's days and of the TRAILING_DAYS before each. */
async function readStoredRates(q: Queryable, keys: string[][]): Promise<StoredRate[]> {
  const r = await q.query<StoredRate>(
    `select r.source, r.reason, r.task_type, to_char(r.day, 'YYYY-MM-DD') as day, r.base_rate, r.volume_seen
       from stratum_rates r join (select distinct * from unnest($1::text[], $2::text[], $3::text[], $4::date[]) as k(source, reason, task_type, day)) k
         on k.source = r.source and k.reason = r.reason and k.task_type = r.task_type and r.day between k.day - ${TRAILING_DAYS} and k.day`,
    keys,
  );
  return r.rows.map((x) => ({ ...x, base_rate: Number(x.base_rate), volume_seen: Number(x.volume_seen) }));
}

async function insertRates(q: Queryable, fresh: (StratumVolume & StratumRate)[], runId: string): Promise<void> {
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
