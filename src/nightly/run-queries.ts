import type { Queryable } from '../db/db.js';
import { THIS_PROCESS } from '../db/process-alive.js';
import type { TrendPoint } from '../reports/report-summary.js';
import type { ClassDecisionOutcome, RunClassRate } from './nightly-deps.js';

/** Records the start of a run (status running). */
export async function insertRun(db: Queryable, run: { id: string; kind: string; startedAt: Date }): Promise<void> {
  await db.query(`insert into runs (id, kind, started_at, status, pid, host) values ($1, $2, $3, 'running', $4, $5)`, [run.id, run.kind, run.startedAt, THIS_PROCESS.pid, THIS_PROCESS.host]);
}

/** Closes a run with its status (ok | failed | aborted) and the summary the report is rebuilt from. */
export async function finishRun(db: Queryable, run: { id: string; status: 'ok' | 'failed' | 'aborted'; finishedAt: Date; summary: unknown }): Promise<void> {
  await db.query(`update runs set status = $2, finished_at = $3, summary = $4 where id = $1`, [run.id, run.status, run.finishedAt, JSON.stringify(run.summary)]);
}

/** Writes one class_rates row per class of this run (idempotent per run and class). */
export async function recordClassRates(db: Queryable, runId: string, rates: RunClassRate[], decisions: ClassDecisionOutcome[]): Promise<void> {
  const byClass = new Map(decisions.map((d) => [d.taskType, d]));
  for (const r of rates) {
    const d = byClass.get(r.taskType);
    const details = { decision: d?.decision, to: d?.to, reason: d?.reason, cusum: d?.cusum, correctedRate: r.correctedRate };
    await db.query(
      `insert into class_rates (run_id, task_type, source, n, failures, rate, lower, upper, details)
       values ($1, $2, 'routing', $3, $4, $5, $6, $7, $8)
       on conflict (run_id, task_type, source) do update set n = excluded.n, failures = excluded.failures,
         rate = excluded.rate, lower = excluded.lower, upper = excluded.upper, details = excluded.details`,
      [runId, r.taskType, r.n, r.failures, r.rate, r.lower, r.upper, JSON.stringify(details)],
    );
  }
}

/** Error rate per class over the last `limit` finished nightly/daemon/demo runs (plus `currentRunId`), oldest first. */
export async function loadTrend(db: Queryable, currentRunId: string | undefined, limit = 14): Promise<TrendPoint[]> {
  const r = await db.query<{ id: string; started_at: Date | string; task_type: string | null; rate: number | null; n: number | string | null; lower: number | null; upper: number | null; decision: string | null }>(
    `with recent as (
       select id, started_at from runs
        where (status = 'ok' or id = $1) and kind in ('nightly', 'daemon', 'demo') and exists (select 1 from class_rates c where c.run_id = runs.id and c.source = 'routing')
        order by started_at desc, id desc limit $2)
     select r.id, r.started_at, c.task_type, c.rate, c.n, c.lower, c.upper, c.details->>'decision' as decision
       from recent r left join class_rates c on c.run_id = r.id and c.source = 'routing'
      order by r.started_at, r.id, c.task_type`,
    [currentRunId ?? null, limit],
  );
  const points = new Map<string, TrendPoint>();
  for (const row of r.rows) {
    let p = points.get(row.id);
    if (!p) points.set(row.id, (p = { runId: row.id, label: new Date(row.started_at).toISOString(), rates: {} }));
    if (!row.task_type) continue;
    p.rates[row.task_type] = row.rate === null ? null : Number(row.rate);
    (p.stats ??= {})[row.task_type] = {
      n: Number(row.n ?? 0), lower: row.lower === null ? null : Number(row.lower), upper: row.upper === null ? null : Number(row.upper),
      ...(row.decision ? { decision: row.decision } : {}),
    };
  }
  return labelRuns([...points.values()]);
}

/** The stored summary of the latest finished run that has one (what `report` renders). */
export async function loadLatestRunSummary<T>(db: Queryable): Promise<{ runId: string; summary: T } | null> {
  const r = await db.query<{ id: string; summary: T | string }>(
    `select id, summary from runs where status = 'ok' and summary is not null and summary ? 'report' order by started_at desc, id desc limit 1`,
  );
  if (r.rows.length === 0) return null;
  const s = r.rows[0].summary;
  return { runId: r.rows[0].id, summary: typeof s === 'string' ? (JSON.parse(s) as T) : s };
}

/** Labels runs by date (YYYY-MM-DD), or by date and time (MM-DD HH:MM) when several share a day (daemon cycles). */
function labelRuns(points: TrendPoint[]): TrendPoint[] {
  const days = points.map((p) => p.label.slice(0, 10));
  const clash = new Set(days).size < days.length;
  return points.map((p, i) => ({ ...p, label: clash ? `${p.label.slice(5, 10)} ${p.label.slice(11, 16)}` : days[i] }));
}
