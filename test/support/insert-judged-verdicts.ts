import type { Queryable } from '../../src/db/db.js';

/** Options of `insertJudgedVerdicts`. */
export interface InsertJudgedOptions {
  /** Event time of the first verdict; later ones follow every 864 s (100 per day). */
  start?: string;
  /** Event id prefix (defaults to the task type); ids are `<prefix>-<i>`, i = 1..n. */
  prefix?: string;
  /** samples.reason: 'routing' or 'shadow'. */
  reason?: string;
  model?: string;
}

/**
 * Test builder: n routed events of a class, each sampled and judged, failing at the given
 * 1-based indices. Real rows in the real tables, so queries are exercised as in production.
 */
export async function insertJudgedVerdicts(
  db: Queryable,
  taskType: string,
  n: number,
  failing: number[],
  opts: InsertJudgedOptions = {},
): Promise<void> {
  const id = `${opts.prefix ?? taskType}-`;
  await db.query(
    `insert into routing_events (id, ts, task_type, model, response)
     select $1 || g, $2::timestamptz + g * interval '864 seconds', $3, $5, 'r' from generate_series(1, $4::int) g`,
    [id, opts.start ?? '2026-11-16T00:00:00Z', taskType, n, opts.model ?? 'cheap-1'],
  );
  await db.query(
    `insert into samples (source, event_id, task_type, reason, event_ts, status)
     select 'routing', r.id, r.task_type, $3, r.ts, 'judged' from routing_events r where r.task_type = $1 and r.id like $2 || '%'
     on conflict do nothing`,
    [taskType, id, opts.reason ?? 'routing'],
  );
  await db.query(
    `insert into judgments (sample_id, verdict, provider, method)
     select s.id, case when substr(s.event_id, length($2) + 1)::int in (select jsonb_array_elements_text($3::jsonb)::int) then 'fail' else 'pass' end, 'offline', 'exact'
       from samples s left join judgments j on j.sample_id = s.id where s.task_type = $1 and s.event_id like $2 || '%' and j.sample_id is null`,
    [taskType, id, JSON.stringify(failing)],
  );
}
