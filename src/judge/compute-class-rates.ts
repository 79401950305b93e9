import type { Queryable } from '../db/db.js';
import { correctInterval, type CorrectedRate } from '../stats/judge-noise.js';
import type { JudgeRates } from '../stats/judge-scale.js';
import { weightedRate, type WeightedCounts, type WeightedRate } from '../stats/weighted-rate.js';
import { loadJudgeRates } from './judge-rates.js';

/** Routed responses, shadow runs of the cheap model behind an escalated class, cache hits, cache near-misses. */
export type RateSource = 'routing' | 'shadow' | 'cache' | 'cache_near_miss';

/**
 * One class's judged error rate, design-weighted: Hajek over 1/inclusion-probability weights, with a
 * Wilson interval on the effective n (stats/weighted-rate.ts). With equal weights (one rate for the
 * whole period, or samples drawn before migration 007) it is the plain failures / n with Wilson.
 */
export interface ClassRate extends Pick<WeightedRate, 'n' | 'failures' | 'nEff' | 'rate' | 'lower' | 'upper'> {
  source: RateSource;
  /** The task class; '*' is every cache class together (traffic-weighted by the design weights). */
  taskType: string;
  /** The serving model (routing_events.model) for rows split by model (`byModel`). */
  model?: string;
  /**
   * True-scale rate: the raw rate and interval inverted with the judge's fp/fn, the interval widened
   * by the fp/fn intervals (stats/judge-noise.ts correctInterval); absent without a calibration.
   */
  corrected?: CorrectedRate & JudgeRates;
}

/** Judged, weighted counts of one (source, class[, model]). */
export interface RateCounts extends WeightedCounts {
  source: RateSource;
  taskType: string;
  model?: string;
}

/** Pure: weighted counts to rates with 95% intervals, corrected where `calibration(class)` knows the judge's errors. */
export function toClassRates(
  counts: RateCounts[],
  calibration: (c: RateCounts) => JudgeRates | undefined = () => undefined,
): ClassRate[] {
  return counts.map((c) => {
    const w = weightedRate(c, 0.95);
    const row: ClassRate = {
      source: c.source,
      taskType: c.taskType,
      ...(c.model !== undefined ? { model: c.model } : {}),
      n: c.n,
      failures: c.failures,
      nEff: w.nEff,
      rate: w.rate,
      lower: w.lower,
      upper: w.upper,
    };
    const cal = calibration(c);
    if (cal && w.rate !== null) row.corrected = { ...correctInterval(w, cal), ...cal };
    return row;
  });
}

/** Which verdicts a rate covers: events since `since` (event time), verdicts judged in run `runId`, or both. */
export interface RateFilter {
  since?: Date;
  runId?: string;
  /** Split routed rows by serving model (reports requests served by a model other than the routed one). */
  byModel?: boolean;
}

// One run's verdicts through judgments_run, each sample by its primary key (a plain join lets the
// planner hash every sample of the history to join a night's verdicts).
const BY_RUN = `cross join lateral (select s.source, s.reason, s.task_type, s.event_id, s.event_ts, s.inclusion_prob
                                      from samples s where s.id = j.sample_id limit 1) s`;

/** Weighted counts per (source, class[, model]) of the verdicts the filter selects, plus every cache class together ('*'). */
export async function loadRateCounts(db: Queryable, filter: RateFilter = {}): Promise<RateCounts[]> {
  const r = await db.query<{
    src: RateSource;
    task_type: string;
    model: string | null;
    n: number;
    failures: number;
    sw: number;
    swf: number;
    sw2: number;
    sw2f: number;
  }>(
    `with j as (
       select case when s.source = 'routing' and s.reason = 'shadow' then 'shadow' when s.source = 'routing' then 'routing' when s.reason = 'hit' then 'cache' else 'cache_near_miss' end as src,
              s.task_type, case when $3::boolean and s.source = 'routing' then (select e.model from routing_events e where e.id = s.event_id) end as model,
              j.verdict = 'fail' as failed, 1.0 / coalesce(nullif(s.inclusion_prob, 0), 1) as w
       from judgments j ${filter.runId === undefined ? 'join samples s on s.id = j.sample_id' : BY_RUN}
       where ($1::timestamptz is null or s.event_ts >= $1::timestamptz) and ($2::text is null or j.run_id = $2::text)),
     g as (
       select src, task_type, model, count(*)::int as n, count(*) filter (where failed)::int as failures,
              sum(w)::float8 as sw, coalesce(sum(w) filter (where failed), 0)::float8 as swf,
              sum(w * w)::float8 as sw2, coalesce(sum(w * w) filter (where failed), 0)::float8 as sw2f
       from j group by 1, 2, 3
       union all
       select src, '*', null, count(*)::int, count(*) filter (where failed)::int, sum(w)::float8, coalesce(sum(w) filter (where failed), 0)::float8,
              sum(w * w)::float8, coalesce(sum(w * w) filter (where failed), 0)::float8
       from j where src = 'cache' group by 1)
     select * from g order by src desc, task_type, model`,
    [filter.since ?? null, filter.runId ?? null, filter.byModel === true],
  );
  return r.rows.map((x) => ({
    source: x.src,
    taskType: x.task_type,
    ...(x.model !== null ? { model: x.model } : {}),
    n: x.n,
    failures: x.failures,
    sumW: Number(x.sw),
    sumWFail: Number(x.swf),
    sumW2: Number(x.sw2),
    sumW2Fail: Number(x.sw2f),
  }));
}

/**
 * Error rates per task class of the verdicts the filter selects: routed responses per class, shadow
 * runs, cache hits per class and together ('*'), near-misses. The one reader of verdicts for rates
 * (reports, nightly, judge CLI); design-weighted and corrected with the same judge rates the escalator uses.
 */
export async function computeClassRates(
  db: Queryable,
  options: RateFilter & {
    comparators?: Record<string, string>;
    judgeRates?: (taskType: string, source?: string) => JudgeRates | undefined;
  } = {},
): Promise<ClassRate[]> {
  const counts = await loadRateCounts(db, options);
  // without the caller's rates: the stored calibrations alone (no driftwatch.yaml overrides)
  const rates =
    options.judgeRates ??
    (await loadJudgeRates(db, {
      judge: { comparators: options.comparators ?? {} },
      escalation: { classJudgeErrorRates: {}, judgeErrorRates: { fp: 0, fn: 0 } },
    }));
  return toClassRates(counts, (c) => (c.taskType === '*' ? undefined : rates(c.taskType, c.source)));
}
