import type { Queryable } from '../db/db.js';
import { THIS_PROCESS } from '../fs/process-alive.js';
import { writeClassRates, type ClassRate } from '../judge/compute-class-rates.js';
import type { TrendPoint } from '../reports/report-summary.js';
import type { ClassDecisionOutcome, RunClassRate } from './nightly-deps.js';

/** Records the start of a run (status running). */
export async function insertRun(db: Queryable, run: { id: string; kind: string; startedAt: Date }): Promise<void> {
  await db.query(`insert into runs (id, kind, started_at, status, pid, host) values ($1, $2, $3, 'running', $4, $5)`, [
    run.id,
    run.kind,
    run.startedAt,
    THIS_PROCESS.pid,
    THIS_PROCESS.host,
  ]);
}

/** Closes a run with its status (ok | failed | aborted) and the summary the report is rebuilt from. */
export async function finishRun(
  db: Queryable,
  run: { id: string; status: 'ok' | 'failed' | 'aborted'; finishedAt: Date; summary: unknown },
): Promise<void> {
  await db.query(`update runs set status = $2, finished_at = $3, summary = $4 where id = $1`, [
    run.id,
    run.status,
    run.finishedAt,
    JSON.stringify(run.summary),
  ]);
}

/** Writes this run's class rates (scope 'run', one row per class; idempotent) through the one writer, with the decision. */
export async function recordClassRates(
  db: Queryable,
  runId: string,
  rates: RunClassRate[],
  decisions: ClassDecisionOutcome[],
): Promise<void> {
  const byClass = new Map(decisions.map((d) => [d.taskType, d]));
  const rows: ClassRate[] = rates.map((r) => ({
    source: 'routing',
    taskType: r.taskType,
    n: r.n,
    failures: r.failures,
    nEff: r.nEff ?? r.n,
    rate: r.rate,
    lower: r.lower,
    upper: r.upper,
    ...(r.corrected ? { corrected: r.corrected } : {}),
  }));
  await writeClassRates(db, runId, 'run', rows, (r) => {
    const d = byClass.get(r.taskType);
    return { decision: d?.decision, to: d?.to, reason: d?.reason, cusum: d?.cusum, correctedRate: r.corrected?.rate };
  });
}

/** Error rate per class over the last `limit` finished nightly/daemon/demo runs (plus `currentRunId`), oldest first. */
export async function loadTrend(db: Queryable, currentRunId: string | undefined, limit = 14): Promise<TrendPoint[]> {
  const r = await db.query<{
    id: string;
    started_at: Date | string;
    task_type: string | null;
    rate: number | null;
    n: number | string | null;
    lower: number | null;
    upper: number | null;
    decision: string | null;
    n_eff: number | null;
    corrected: number | null;
    corrected_lower: number | null;
    corrected_upper: number | null;
  }>(
    `with recent as (
       select id, started_at from runs
        where (status = 'ok' or id = $1) and kind in ('nightly', 'daemon', 'demo') and exists (select 1 from class_rates c where c.run_id = runs.id and c.source = 'routing' and c.scope = 'run')
        order by started_at desc, id desc limit $2)
     select r.id, r.started_at, c.task_type, c.rate, c.n, c.lower, c.upper, c.details->>'decision' as decision, (c.details->>'nEff')::float8 as n_eff,
            (c.details->'corrected'->>'rate')::float8 as corrected, (c.details->'corrected'->>'lower')::float8 as corrected_lower, (c.details->'corrected'->>'upper')::float8 as corrected_upper
       from recent r left join class_rates c on c.run_id = r.id and c.source = 'routing' and c.scope = 'run'
      order by r.started_at, r.id, c.task_type`,
    [currentRunId ?? null, limit],
  );
  const points = new Map<string, TrendPoint>();
  for (const row of r.rows) {
    let p = points.get(row.id);
    if (!p) {
      p = { runId: row.id, label: new Date(row.started_at).toISOString(), rates: {} };
      points.set(row.id, p);
    }
    if (!row.task_type) continue;
    p.rates[row.task_type] = row.rate === null ? null : Number(row.rate);
    p.n ??= {};
    p.n[row.task_type] = Number(row.n ?? 0);
    if (row.n_eff !== null) {
      p.nEff ??= {};
      p.nEff[row.task_type] = Number(row.n_eff);
    }
    if (row.corrected !== null) {
      p.corrected ??= {};
      p.corrected[row.task_type] = Number(row.corrected);
    }
    // the charts draw the same scale as the sparklines: the corrected interval where the judge's fp/fn are known
    const corrected = row.corrected !== null && row.corrected_lower !== null && row.corrected_upper !== null;
    p.stats ??= {};
    p.stats[row.task_type] = {
      n: Number(row.n ?? 0),
      lower: corrected ? Number(row.corrected_lower) : row.lower === null ? null : Number(row.lower),
      upper: corrected ? Number(row.corrected_upper) : row.upper === null ? null : Number(row.upper),
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
