import type { Queryable } from '../db/db.js';
import { HASH_BUCKETS, type StratumAllocation } from './allocate-sample.js';

/** Where the salt's inclusion window starts: an event is drawn when its key lies in [start, start + threshold) mod 1e6. */
export async function saltWindowStart(q: Queryable, salt: string): Promise<number> {
  const r = await q.query<{ lo: number }>(
    `select ((1000000 - (hashtext($1::text) & 2147483647) % 1000000) % 1000000)::int as lo`,
    [salt],
  );
  return r.rows[0]!.lo;
}

/** An event's sample key in SQL, as migration 006 stores it in routing_events.sample_key. */
export const sampleKeySql = (id: string) => `(hashtext(${id}) & 2147483647) % 1000000`;

/** The inclusion test: the key lies in [start, start + threshold) mod 1e6. */
export const inclusionSql = (key: string, start: string, threshold: string) =>
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
