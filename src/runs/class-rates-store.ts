import type { Queryable } from '../db/db.js';

/** Which verdicts a stored row covers: this run's (the trend's point) or every verdict up to this run (`judge`). */
export type RateScope = 'run' | 'cumulative';

/** One class rate as `class_rates` stores it (judge/compute-class-rates.ts ClassRate fits). */
export interface StoredClassRate {
  source: string;
  taskType: string;
  /** Rows split by serving model are not stored (a report warning, not a class rate). */
  model?: string;
  n: number;
  failures: number;
  nEff: number;
  rate: number | null;
  lower: number;
  upper: number;
  /** The true-scale rate and interval with the judge rates used, when the judge's fp/fn are known. */
  corrected?: { rate: number | null; lower: number; upper: number };
}

/** One run's error rate per class, for the trend chart (oldest first). */
export interface TrendPoint {
  runId: string;
  /** Label on the x axis, usually the run's date (YYYY-MM-DD). */
  label: string;
  /** This run's raw (judge-flag scale) design-weighted rate per class; null = no judged sample. */
  rates: Record<string, number | null>;
  /** Judged verdicts of the run per class (the point's n). */
  n?: Record<string, number>;
  /** Effective n of the point's weighted rate. */
  nEff?: Record<string, number>;
  /** The point corrected for judge noise (true scale), where the judge's fp/fn are known. */
  corrected?: Record<string, number>;
  /** Per class: verdicts counted, the 95% interval and the escalator's decision in that run (for the charts). */
  stats?: Record<string, { n: number; lower: number | null; upper: number | null; decision?: string }>;
}

/**
 * The one writer of class_rates: a run's rates under a scope (one row per class, source and scope;
 * rerunning replaces them). Nightly, daemon and demo runs write scope 'run' with the decision in
 * `extra`; `judge` writes scope 'cumulative'. Rows split by model are skipped.
 */
export async function writeClassRates<R extends StoredClassRate>(
  db: Queryable,
  runId: string,
  scope: RateScope,
  rates: R[],
  extra: (r: R) => Record<string, unknown> = () => ({}),
): Promise<void> {
  for (const x of rates.filter((r) => r.model === undefined)) {
    const details = {
      nEff: x.nEff,
      method: 'hajek, wilson on effective n',
      corrected: x.corrected ?? null,
      ...extra(x),
    };
    await db.query(
      `insert into class_rates (run_id, task_type, source, scope, n, failures, rate, lower, upper, details) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       on conflict (run_id, task_type, source, scope) do update set n = excluded.n, failures = excluded.failures, rate = excluded.rate,
         lower = excluded.lower, upper = excluded.upper, details = excluded.details`,
      [runId, x.taskType, x.source, scope, x.n, x.failures, x.rate, x.lower, x.upper, JSON.stringify(details)],
    );
  }
}

interface TrendRow {
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
}

/** The one reader of class_rates: the routed rate per class over the last `limit` finished nightly/daemon/demo runs (plus `currentRunId`), oldest first. */
export async function loadTrend(db: Queryable, currentRunId: string | undefined, limit = 14): Promise<TrendPoint[]> {
  const r = await db.query<TrendRow>(
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
    if (row.task_type) addTrendRow(p, row.task_type, row);
  }
  return labelRuns([...points.values()]);
}

function addTrendRow(p: TrendPoint, taskType: string, row: TrendRow): void {
  p.rates[taskType] = row.rate === null ? null : Number(row.rate);
  p.n = { ...p.n, [taskType]: Number(row.n ?? 0) };
  if (row.n_eff !== null) p.nEff = { ...p.nEff, [taskType]: Number(row.n_eff) };
  if (row.corrected !== null) p.corrected = { ...p.corrected, [taskType]: Number(row.corrected) };
  // the charts draw the same scale as the sparklines: the corrected interval where the judge's fp/fn are known
  const corrected = row.corrected !== null && row.corrected_lower !== null && row.corrected_upper !== null;
  const bound = (raw: number | null, fixed: number | null) =>
    corrected ? Number(fixed) : raw === null ? null : Number(raw);
  p.stats = {
    ...p.stats,
    [taskType]: {
      n: Number(row.n ?? 0),
      lower: bound(row.lower, row.corrected_lower),
      upper: bound(row.upper, row.corrected_upper),
      ...(row.decision ? { decision: row.decision } : {}),
    },
  };
}

/** Labels runs by date (YYYY-MM-DD), or by date and time (MM-DD HH:MM) when several share a day (daemon cycles). */
function labelRuns(points: TrendPoint[]): TrendPoint[] {
  const days = points.map((p) => p.label.slice(0, 10));
  const clash = new Set(days).size < days.length;
  return points.map((p, i) => ({ ...p, label: clash ? `${p.label.slice(5, 10)} ${p.label.slice(11, 16)}` : days[i] }));
}
