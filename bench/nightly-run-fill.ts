// The history bench/nightly-run.ts runs a nightly over: `days` days of routing events and cache
// lookups, each day sampled (5%), judged and consumed by the escalator in a run of its own (as the
// nights before would have left them), then one new day ingested and not yet sampled.
import type { Db } from '../src/db/db.js';

export const NEW_DAY = '2026-11-30';
export const CLASSES = 7;

const tsOf = (days: number, perDay: number) =>
  `timestamptz '${NEW_DAY} 00:00:00+00' - ((${days} - (g - 1) / ${perDay}) * interval '1 day') + (((g - 1) % ${perDay}) * (86400.0 / ${perDay}) * interval '1 second')`;

/** Old days 1..days before NEW_DAY: events, lookups, runs, samples, verdicts, rates, escalator rows. */
export async function fillHistory(db: Db, days: number, perDay: number): Promise<void> {
  const total = perDay * days;
  await db.query(
    `insert into runs (id, kind, started_at, finished_at, status)
     select 'r-old-' || d, 'nightly', timestamptz '${NEW_DAY}' - (${days} - d) * interval '1 day' + interval '2 hours',
            timestamptz '${NEW_DAY}' - (${days} - d) * interval '1 day' + interval '2 hours 1 minute', 'ok'
       from generate_series(1, ${days}) d`,
  );
  // one insert statement per 16 days, as nightly ingests add them (the per-statement counters see several)
  for (let from = 1; from <= total; from += perDay * 16) {
    const to = Math.min(total, from + perDay * 16 - 1);
    await db.query(
      `insert into routing_events (id, ts, task_type, model, response, reference)
       select 'evt-' || g, ${tsOf(days, perDay)}, 'class_' || (g % ${CLASSES}), 'gpt-4o-mini',
              case when g % 31 = 0 then 'shipping' else 'billing' end, 'billing'
         from generate_series(${from}, ${to}) as g`,
    );
    await db.query(
      `insert into cache_lookups (id, ts, task_type, query, hit, similarity, matched_query, result, reference, threshold)
       select 'l-' || g, ${tsOf(days, perDay)}, 'class_' || (g % 5), 'q ' || g, g % 3 <> 0,
              case when g % 3 <> 0 then 0.92 + ((g::bigint * 7919) % 8000) / 100000.0 else 0.8 + ((g::bigint * 7919) % 12000) / 100000.0 end,
              'q', 'a', case when g % 97 = 0 then 'b' else 'a' end, 0.92
         from generate_series(${from}, ${to}) as g`,
    );
  }
  // day k (1..days) is NEW_DAY - (days - k + 1); its run r-old-k sampled and judged it at 02:00 the next day
  const run = (day: string) => `'r-old-' || (${days} - ('${NEW_DAY}'::date - ${day}) + 1)`;
  const runAt = (day: string) => `((${day} + 1)::timestamp at time zone 'UTC' + interval '2 hours')`;
  await db.exec(`
    insert into samples (source, event_id, task_type, reason, event_ts, run_id, inclusion_prob, status, sampled_at)
    select 'routing', id, task_type, 'routing', ts, ${run('utc_day')}, 0.05, 'judged', ${runAt('utc_day')}
      from routing_events where seq % 20 = 0 order by seq;
    insert into samples (source, event_id, task_type, reason, event_ts, run_id, inclusion_prob, status, sampled_at)
    select 'cache', id, coalesce(task_type, 'default'), case when hit then 'hit' else 'near_miss' end, ts,
           ${run("(ts at time zone 'UTC')::date")}, 0.05, 'judged', ${runAt("(ts at time zone 'UTC')::date")}
      from cache_lookups where seq % 20 = 0 order by seq;
    insert into judgments (sample_id, verdict, provider, method, run_id, judged_at)
    select s.id, case when s.id % 31 = 0 then 'fail' else 'pass' end, 'offline', 'token-f1', s.run_id, s.sampled_at
      from samples s order by s.id;
    insert into escalator_processed (sample_id, task_type, processed_at)
    select id, task_type, sampled_at from samples where source = 'routing' order by id;
    insert into stratum_rates (source, reason, task_type, day, expected_volume, basis, base_rate, volume_seen, run_id)
    select 'routing', 'routing', task_type, utc_day, count(*), 'trailing-mean', 0.05, count(*), 'r-old-1' from routing_events group by 2, 3, 4;
    insert into stratum_rates (source, reason, task_type, day, expected_volume, basis, base_rate, volume_seen, run_id)
    select 'cache', case when hit then 'hit' else 'near_miss' end, coalesce(task_type, 'default'), (ts at time zone 'UTC')::date,
           count(*), 'trailing-mean', 0.05, count(*), 'r-old-1' from cache_lookups group by 2, 3, 4;
    insert into class_rates (run_id, task_type, source, n, failures, rate, lower, upper, scope)
    select s.run_id, s.task_type, 'routing', count(*), count(*) filter (where j.verdict = 'fail'),
           avg((j.verdict = 'fail')::int), 0, 0.1, 'run'
      from samples s join judgments j on j.sample_id = s.id where s.source = 'routing' group by 1, 2;
  `);
  const wm = await db.query<{ r: string; c: string }>(
    `select (select max(seq) from routing_events)::text as r, (select max(seq) from cache_lookups)::text as c`,
  );
  await db.query(
    `insert into driftwatch_state (key, value) values
       ('sampler:watermark', jsonb_build_object('routing', $1::bigint, 'cache', $2::bigint, 'volumes', '{}'::jsonb)),
       ('escalator:watermark', jsonb_build_object('since', timestamptz '${NEW_DAY} 01:01:00+00'))`,
    [wm.rows[0]!.r, wm.rows[0]!.c],
  );
  await db.exec('vacuum analyze');
}

/** The new day: `perDay` routing events and as many cache lookups on NEW_DAY, in one statement each. */
export async function ingestNewDay(db: Db, perDay: number): Promise<void> {
  await db.query(
    `insert into routing_events (id, ts, task_type, model, response, reference)
     select 'new-' || g, timestamptz '${NEW_DAY} 00:00:00+00' + ((g - 1) * (86400.0 / ${perDay}) * interval '1 second'),
            'class_' || (g % ${CLASSES}), 'gpt-4o-mini', case when g % 29 = 0 then 'shipping' else 'billing' end, 'billing'
       from generate_series(1, ${perDay}) as g`,
  );
  await db.query(
    `insert into cache_lookups (id, ts, task_type, query, hit, similarity, matched_query, result, reference, threshold)
     select 'lnew-' || g, timestamptz '${NEW_DAY} 00:00:00+00' + ((g - 1) * (86400.0 / ${perDay}) * interval '1 second'),
            'class_' || (g % 5), 'q ' || g, g % 3 <> 0,
            case when g % 3 <> 0 then 0.92 + ((g::bigint * 7919) % 8000) / 100000.0 else 0.8 + ((g::bigint * 7919) % 12000) / 100000.0 end,
            'q', 'a', case when g % 97 = 0 then 'b' else 'a' end, 0.92
       from generate_series(1, ${perDay}) as g`,
  );
}
