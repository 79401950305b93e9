import type { Queryable } from '../db/db.js';
import { wilsonInterval } from '../stats/binomial-interval.js';
import { correctForJudgeNoise } from '../stats/judge-noise.js';
import { loadJudgeRates } from './judge-rates.js';

/** Which rate a row is: routed responses per class, cache hits (false-hit rate), cache near-misses. */
/** Routed responses, shadow runs of the cheap model behind an escalated class, cache hits, cache near-misses. */
export type RateSource = 'routing' | 'shadow' | 'cache' | 'cache_near_miss';

/** The judge's measured error rates, used to correct a raw rate. */
export interface JudgeErrorRates {
  fp: number;
  fn: number;
  /** Where they come from, e.g. "review:classify" or "gold:gsm8k/numeric-answer". */
  from: string;
}

/** One class's judged error rate: n, failures, raw rate with a Wilson 95% interval, and the corrected one. */
export interface ClassRate {
  source: RateSource;
  /** The task class; '*' is every cache class together. */
  taskType: string;
  n: number;
  failures: number;
  rate: number | null;
  lower: number;
  upper: number;
  /** q(p) inverted with the judge's fp/fn, clamped to [0, 1]; absent without a calibration. */
  corrected?: { rate: number | null; lower: number; upper: number } & JudgeErrorRates;
}

/** Judged counts of one (source, class). */
export interface RateCounts {
  source: RateSource;
  taskType: string;
  n: number;
  failures: number;
}

/** Pure: counts to rates with Wilson 95% intervals, corrected where `calibration(class)` knows the judge's errors. */
export function toClassRates(counts: RateCounts[], calibration: (c: RateCounts) => JudgeErrorRates | undefined = () => undefined): ClassRate[] {
  return counts.map((c) => {
    const w = wilsonInterval(c.failures, c.n, 0.95);
    const row: ClassRate = { ...c, rate: w.rate, lower: w.lower, upper: w.upper };
    const cal = calibration(c);
    if (cal) {
      const fix = (x: number) => correctForJudgeNoise(x, cal.fp, cal.fn);
      row.corrected = { rate: w.rate === null ? null : fix(w.rate), lower: fix(w.lower), upper: fix(w.upper), ...cal };
    }
    return row;
  });
}

/**
 * Error rates per task class of all verdicts on events since `since` (event time): routed
 * responses per class, cache hits per class and together ('*'), near-misses. For reports and nightly.
 */
export async function computeClassRates(
  db: Queryable,
  options: { since?: Date; comparators?: Record<string, string>; judgeRates?: (taskType: string) => JudgeErrorRates | undefined } = {},
): Promise<ClassRate[]> {
  const r = await db.query<{ src: RateSource; task_type: string; n: number; failures: number }>(
    `with j as (
       select case when s.source = 'routing' and s.reason = 'shadow' then 'shadow' when s.source = 'routing' then 'routing' when s.reason = 'hit' then 'cache' else 'cache_near_miss' end as src,
              s.task_type, j.verdict
       from judgments j join samples s on s.id = j.sample_id
       where $1::timestamptz is null or s.event_ts >= $1::timestamptz)
     select src, task_type, count(*)::int as n, count(*) filter (where verdict = 'fail')::int as failures from j group by 1, 2
     union all
     select src, '*', count(*)::int, count(*) filter (where verdict = 'fail')::int from j where src = 'cache' group by 1
     order by 1 desc, 2`,
    [options.since ?? null],
  );
  // without the caller's rates: the stored calibrations alone (no driftwatch.yaml overrides)
  const rates = options.judgeRates ?? (await loadJudgeRates(db, { judge: { comparators: options.comparators ?? {} }, escalation: { classJudgeErrorRates: {}, judgeErrorRates: { fp: 0, fn: 0 } } }));
  return toClassRates(
    r.rows.map((x) => ({ source: x.src, taskType: x.task_type, n: x.n, failures: x.failures })),
    (c) => (c.taskType === '*' ? undefined : rates(c.taskType, c.source)),
  );
}

/** Stores a run's rates in class_rates (one row per class and source; rerunning replaces them). */
export async function writeClassRates(db: Queryable, runId: string, rates: ClassRate[]): Promise<void> {
  for (const x of rates) {
    await db.query(
      `insert into class_rates (run_id, task_type, source, n, failures, rate, lower, upper, details) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (run_id, task_type, source) do update set n = excluded.n, failures = excluded.failures, rate = excluded.rate,
         lower = excluded.lower, upper = excluded.upper, details = excluded.details`,
      [runId, x.taskType, x.source, x.n, x.failures, x.rate, x.lower, x.upper, JSON.stringify({ corrected: x.corrected ?? null })],
    );
  }
}
