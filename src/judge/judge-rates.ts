import type { Config } from '../config/config-schema.js';
import type { Queryable } from '../db/db.js';
import { comparatorFor } from './comparators/index.js';
import { latestCalibrations, type JudgeErrorRates } from './compute-class-rates.js';

/** The judge's error rates for a task class, with where they come from; undefined = none known. */
export type JudgeRatesFor = (taskType: string) => JudgeErrorRates | undefined;

/**
 * One answer, used by the escalator's CUSUM weight and by every corrected rate in reports, so the
 * decision and the report never use different numbers. Precedence: a class override in
 * driftwatch.yaml (`escalation.classJudgeErrorRates`), then the latest human review of the class
 * (`review --import`), then the gold-set calibration (`judge-calibrate`) of the reference model when
 * one judges, else of the class's comparator,
 * then `escalation.judgeErrorRates` when it is not the perfect-judge default.
 */
export async function loadJudgeRates(db: Queryable, config: Config, options: { llmJudge?: boolean } = {}): Promise<JudgeRatesFor> {
  const cals = await latestCalibrations(db);
  // a reference model's own gold calibration (the GSM8K correctness labels) when one judges
  const llm = (options.llmJudge ?? (config.judge.provider !== undefined && config.judge.provider !== 'offline')) ? cals.gold.get('routing-agreement') : undefined;
  const { classJudgeErrorRates, judgeErrorRates } = config.escalation;
  const fallback = judgeErrorRates.fp > 0 || judgeErrorRates.fn > 0 ? { ...judgeErrorRates, from: 'config:escalation.judgeErrorRates' } : undefined;
  return (taskType) => {
    const own = classJudgeErrorRates[taskType];
    if (own) return { ...own, from: `config:escalation.classJudgeErrorRates.${taskType}` };
    return cals.review.get(taskType) ?? llm ?? cals.gold.get(comparatorFor(taskType, config.judge.comparators)) ?? fallback;
  };
}
