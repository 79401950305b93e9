import type { Config } from '../config/config-schema.js';
import type { Queryable } from '../db/db.js';
import { estimateFromReview, judgeRatesFromGold, type ReviewCounts } from '../stats/judge-noise.js';
import { cacheComparatorFor, comparatorFor } from './comparators/comparator-names.js';
import type { JudgeRates, JudgeRatesFor } from '../stats/judge-scale.js';
import { withVerdictSources } from './external-source-rates.js';
import { jsonColumn } from '../db/json-column.js';

/** The false-negative rate assumed when a review could not measure one (notes section 7). */
export const FN_PRIOR = 0.1;

/**
 * The latest measured judge error rates: per task class from human review, and per comparator from
 * the bundled gold sets (judge-calibrate). loadJudgeRates picks among them.
 */
export async function latestCalibrations(
  db: Queryable,
): Promise<{ review: Map<string, JudgeRates>; gold: Map<string, JudgeRates> }> {
  const r = await db.query<{
    source: string;
    dataset: string;
    task_type: string | null;
    method: string;
    fp: number | null;
    fn: number | null;
    details: unknown;
  }>(
    // sets whose labels no comparator made (details.labels.independent) are read last, so they win for their method
    `select source, dataset, task_type, method, fp, fn, details from judge_calibrations where fp is not null
      order by coalesce((details->'labels'->>'independent')::boolean, false), created_at, id`,
  );
  const review = new Map<string, JudgeRates>();
  const gold = new Map<string, JudgeRates>();
  for (const x of r.rows) {
    const e = withIntervals(x.source, x.fp ?? 0, x.fn, jsonColumn(x.details));
    if (x.source === 'review' && x.task_type) review.set(x.task_type, { ...e, from: `review:${x.task_type}` });
    else if (x.source === 'gold') gold.set(x.method, { ...e, from: `gold:${x.dataset}/${x.method}` });
  }
  return { review, gold };
}

/**
 * fp and fn with 95% intervals, recomputed from the stored counts (so rows written before the
 * Beta posteriors get them too): a review's Beta posteriors (fn never 0, prior mean 10%), a gold
 * set's Jeffreys / Beta(1, 9) posteriors. Without counts: the stored values, fn unknown = 10%.
 */
function withIntervals(source: string, fp: number, fn: number | null, details: unknown): Omit<JudgeRates, 'from'> {
  const d = (details ?? {}) as Record<string, unknown>;
  if (
    source === 'review' &&
    typeof d.flagRate === 'number' &&
    typeof d.reviewedFlags === 'number' &&
    typeof d.reviewedPasses === 'number'
  ) {
    const e = estimateFromReview(d as unknown as ReviewCounts);
    if (e.fp !== null && e.fn !== null && e.fpInterval && e.fnInterval)
      return { fp: e.fp, fn: e.fn, fpInterval: e.fpInterval, fnInterval: e.fnInterval };
  }
  const c = d.counts as { truePass?: number; falseFlag?: number; trueFlag?: number; missed?: number } | undefined;
  if (source === 'gold' && c && [c.truePass, c.falseFlag, c.trueFlag, c.missed].every((v) => typeof v === 'number')) {
    const g = judgeRatesFromGold(c as { truePass: number; falseFlag: number; trueFlag: number; missed: number });
    return g;
  }
  // fn unknown (p-hat = 0): the notes' benchmark prior of 10%; fp matters ~30x more at these rates
  return { fp, fn: fn ?? FN_PRIOR };
}

/** What loadJudgeRates reads of driftwatch.yaml (a whole Config fits). */
export interface JudgeRatesConfig {
  judge: {
    comparators: Record<string, string>;
    provider?: Config['judge']['provider'];
    sources?: Config['judge']['sources'];
  };
  escalation: Pick<Config['escalation'], 'classJudgeErrorRates' | 'judgeErrorRates'>;
}

/**
 * One answer, used by the escalator's CUSUM weight and by every corrected rate in reports, so the
 * decision and the report never use different numbers. Precedence: a class override in
 * driftwatch.yaml (`escalation.classJudgeErrorRates`), then the latest human review of the class
 * (`review --import`), then the gold-set calibration (`judge-calibrate`) of the reference model when
 * one judges, else of the class's comparator,
 * then `escalation.judgeErrorRates` when it is not the perfect-judge default. Where part of a class
 * was judged by an external source with configured rates (`judge.sources`) or by the pairwise judge
 * (its `judge-calibrate --dataset llmbar` rates), the n-weighted mix; a class override still wins.
 */
export async function loadJudgeRates(
  db: Queryable,
  config: JudgeRatesConfig,
  options: { llmJudge?: boolean } = {},
): Promise<JudgeRatesFor> {
  const cals = await latestCalibrations(db);
  // a reference model's own gold calibration (the GSM8K correctness labels) when one judges
  const llm =
    (options.llmJudge ?? (config.judge.provider !== undefined && config.judge.provider !== 'offline'))
      ? cals.gold.get('routing-agreement')
      : undefined;
  const { classJudgeErrorRates, judgeErrorRates } = config.escalation;
  const fallback =
    judgeErrorRates.fp > 0 || judgeErrorRates.fn > 0
      ? { ...judgeErrorRates, from: 'config:escalation.judgeErrorRates' }
      : undefined;
  const measured: JudgeRatesFor = (taskType, source) => {
    // cache hits of a free-text class are judged by cache-answer (see evaluate-sample), so its rates apply to them
    const comparator = comparatorFor(taskType, config.judge.comparators);
    const offline = source?.startsWith('cache') ? cacheComparatorFor(comparator) : comparator;
    return cals.review.get(taskType) ?? llm ?? cals.gold.get(offline) ?? fallback;
  };
  // a class judged partly by external sources (judge.sources) or pairwise (LLMBar calibration): mixed by share
  const mixed = await withVerdictSources(db, measured, {
    sources: config.judge.sources ?? {},
    pairwise: cals.gold.get('pairwise-preference'),
  });
  return (taskType, source) => {
    const own = classJudgeErrorRates[taskType];
    if (own) return { ...own, from: `config:escalation.classJudgeErrorRates.${taskType}` };
    return mixed(taskType, source);
  };
}
