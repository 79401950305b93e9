import type { Db, Queryable } from '../db/db.js';
import { DatabaseError } from '../errors.js';
import { classStateSchema, type ClassState } from './class-state.js';
import type { JudgedVerdict } from './escalation-types.js';
import { jsonColumn } from '../db/json-column.js';

const STATE_PREFIX = 'cusum:';
const WATERMARK_KEY = 'escalator:watermark';
const DAY_MS = 86_400_000;

/** A verdict as loaded, with the sample it belongs to (to mark it processed). */
export interface LoadedVerdict extends JudgedVerdict {
  sampleId: string;
}

/** Every stored class state (`cusum:<taskType>` keys), validated. */
export async function loadClassStates(db: Queryable): Promise<Map<string, ClassState>> {
  const r = await db.query<{ key: string; value: unknown }>(
    `select key, value from driftwatch_state where key like 'cusum:%'`,
  );
  const out = new Map<string, ClassState>();
  for (const row of r.rows) {
    const parsed = classStateSchema.safeParse(jsonColumn(row.value));
    if (!parsed.success)
      throw new DatabaseError(
        `driftwatch_state key ${row.key} does not hold a valid escalator state (${parsed.error.issues[0].message}); delete the row to restart that class's CUSUM`,
      );
    out.set(row.key.slice(STATE_PREFIX.length), parsed.data);
  }
  return out;
}

/** Upserts class states under `cusum:<taskType>`. */
export async function saveClassStates(db: Queryable, states: ClassState[]): Promise<void> {
  for (const s of states) {
    await db.query(
      `insert into driftwatch_state (key, value, updated_at) values ($1, $2, now())
       on conflict (key) do update set value = excluded.value, updated_at = now()`,
      [STATE_PREFIX + s.taskType, JSON.stringify(s)],
    );
  }
}

/**
 * Judged routing verdicts not yet consumed by the escalator, in request order (event ts, seq).
 * Only judgments newer than the last run's watermark are scanned; shadow samples come flagged.
 */
export async function loadNewVerdicts(db: Queryable): Promise<LoadedVerdict[]> {
  const wm = await db.query<{ value: { since: string } }>(`select value from driftwatch_state where key = $1`, [
    WATERMARK_KEY,
  ]);
  const since = wm.rows[0]?.value?.since ?? null;
  const r = await db.query<{
    sample_id: string | number;
    task_type: string;
    reason: string;
    ts: Date | string;
    seq: string | number;
    model: string;
    verdict: string;
    inclusion_prob: number | null;
  }>(
    `select s.id as sample_id, s.task_type, s.reason, r.ts, r.seq, r.model, j.verdict, s.inclusion_prob
       from judgments j
       join samples s on s.id = j.sample_id
       join routing_events r on r.id = s.event_id
      where s.source = 'routing'
        and ($1::timestamptz is null or j.judged_at >= $1::timestamptz)
        and not exists (select 1 from escalator_processed p where p.sample_id = j.sample_id)
      order by r.ts, r.seq`,
    [since],
  );
  return r.rows.map((x) => ({
    sampleId: String(x.sample_id),
    taskType: x.task_type,
    ts: new Date(x.ts).toISOString(),
    seq: Number(x.seq),
    model: x.model,
    failed: x.verdict === 'fail',
    shadow: x.reason === 'shadow',
    inclusionProb: x.inclusion_prob === null ? null : Number(x.inclusion_prob),
  }));
}

/**
 * Marks verdicts consumed and moves the scan watermark to the database's clock minus one hour
 * (judgments committed late by a slow transaction are still found; the anti-join dedups).
 */
export async function markVerdictsProcessed(db: Queryable, verdicts: LoadedVerdict[]): Promise<void> {
  if (verdicts.length > 0) {
    await db.query(
      `insert into escalator_processed (sample_id, task_type)
       select (x->>'id')::bigint, x->>'t' from jsonb_array_elements($1::jsonb) x
       on conflict (sample_id) do nothing`,
      [JSON.stringify(verdicts.map((v) => ({ id: v.sampleId, t: v.taskType })))],
    );
  }
  await db.query(
    `insert into driftwatch_state (key, value, updated_at) values ($1, jsonb_build_object('since', now() - interval '1 hour'), now())
     on conflict (key) do update set value = excluded.value, updated_at = now()`,
    [WATERMARK_KEY],
  );
}

/** loadJudgedVolumes' statement (exported for bench/nightly-history.ts, which checks its plan). */
export const JUDGED_VOLUMES_SQL = `with recursive classes as (
       (select task_type from samples where source = 'routing' and reason <> 'shadow' order by task_type limit 1)
       union all
       select (select s.task_type from samples s where s.source = 'routing' and s.reason <> 'shadow' and s.task_type > c.task_type order by s.task_type limit 1)
         from classes c where c.task_type is not null),
     last as materialized (
       select c.task_type, (select s.event_ts from samples s
                             where s.task_type = c.task_type and s.source = 'routing' and s.reason <> 'shadow'
                               and exists (select 1 from judgments j where j.sample_id = s.id)
                             order by s.event_ts desc limit 1) as mx
         from classes c where c.task_type is not null)
     select l.task_type, w.n, w.mn, l.mx
       from last l
       -- per class, one range of samples_routing_task (a plain join leaves the planner a scan of all samples:
       -- the window's start, l.mx - 7 days, is unknown when it plans)
       cross join lateral (
         select sum(coalesce(least(1.0, sr.base_rate / nullif(s.inclusion_prob, 0)), 1.0))::float8 as n, min(s.event_ts) as mn
           from samples s
           -- one primary-key probe per sample of the window (a plain join lets the planner hash all judgments)
           cross join lateral (select 1 from judgments j where j.sample_id = s.id limit 1) as j
           left join stratum_rates sr on sr.source = 'routing' and sr.reason = 'routing' and sr.task_type = s.task_type and sr.day = (s.event_ts at time zone 'UTC')::date
          where s.task_type = l.task_type and s.event_ts > l.mx - interval '7 days' and s.source = 'routing' and s.reason <> 'shadow') as w
      where l.mx is not null`;

/**
 * Base judged routing verdicts per day per class over the last 7 days of its event time (days = the
 * span covered, clamped to [1, 7]), for calibrating H. A verdict drawn at a boosted or burst rate
 * counts base rate / inclusion probability (a 4x-boosted one counts 1/4), so H follows the base
 * design and not the boost-inflated volume; samples without a stored probability count 1.
 */
export async function loadJudgedVolumes(db: Db): Promise<Map<string, number>> {
  // Bounded by an index, not the history (issue 15): the classes come from a loose scan of
  // samples_routing_task (task_type, event_ts), each class's latest judged event from a backward scan of it,
  // and the 7-day window from one range of it. samples.event_ts is the event's ts copied at draw
  // time, so no join back to routing_events; its UTC day is the stratum's day.
  // Its estimate (per class of an unknown number) passes PostgreSQL's JIT threshold: compiling took
  // 55 ms of 132 at 4x on a quiet server and most of a second under load, to run a few ms of probes.
  const r = await db.transaction(
    async (tx) => {
      await tx.query('set local jit = off');
      return tx.query<{ task_type: string; n: number; mn: Date | string; mx: Date | string }>(JUDGED_VOLUMES_SQL);
    },
    { retry: true },
  );
  const out = new Map<string, number>();
  for (const row of r.rows) {
    const days = Math.min(7, Math.max(1, (new Date(row.mx).getTime() - new Date(row.mn).getTime()) / DAY_MS));
    out.set(row.task_type, row.n / days);
  }
  return out;
}

/** countSampled's statement (exported for bench/nightly-run.ts, which checks its plan). */
export const COUNT_SAMPLED_SQL = `select ((select count(*) from samples
              where task_type = $1 and event_ts >= $2::timestamptz and source = 'routing' and reason <> 'shadow'
                and event_ts < (($2::timestamptz at time zone 'UTC')::date + 1) at time zone 'UTC')
          + coalesce((select sum(samples) from sample_counts
                       where task_type = $1 and utc_day > ($2::timestamptz at time zone 'UTC')::date), 0))::int as n`;

/**
 * Samples drawn per class (routing, not shadow) with event time at or after `since`: the rest of
 * since's UTC day counted through samples_task, every later day from the per-day counter that
 * migration 014's insert trigger keeps (a monitoring period can span the whole history).
 */
export async function countSampled(db: Queryable, taskType: string, since: string): Promise<number> {
  const r = await db.query<{ n: number }>(COUNT_SAMPLED_SQL, [taskType, since]);
  return r.rows[0]?.n ?? 0;
}

/** Holds the escalator's run lock (one decide/apply at a time per database). */
export async function lockEscalator(db: Db): Promise<() => Promise<void>> {
  const release = await db.tryLock('driftwatch:escalator');
  if (!release)
    throw new DatabaseError(
      'another driftwatch escalate/nightly run is deciding escalations on this database; try again when it has finished',
    );
  return release;
}
