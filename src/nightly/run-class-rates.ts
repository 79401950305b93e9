import type { Queryable } from '../db/db.js';
import { computeClassRates, type ClassRate } from '../judge/compute-class-rates.js';
import type { EscalationRun } from '../escalator/run-escalation.js';
import { writeClassRates } from '../runs/class-rates-store.js';
import type { JudgeRates, JudgeRatesFor } from '../stats/judge-scale.js';
import type { WeightedRate } from '../stats/weighted-rate.js';

/** One class's verdicts in one run with a 95% interval on its error rate (routed responses only). */
export interface RunClassRate extends Omit<ClassRate, 'source' | 'model'> {
  /** The judge's calibrated error rates for this class (from review or a gold set), when known. */
  judgeRates?: JudgeRates;
  /** This run's verdicts split by the model that served them (routing_events.model). */
  models: ModelRate[];
}

/** One serving model's share of a class's verdicts in a run. */
export interface ModelRate extends Pick<WeightedRate, 'n' | 'failures' | 'nEff' | 'rate' | 'lower' | 'upper'> {
  model: string;
}

/**
 * Verdicts on routed responses judged in run `runId`, per class (the trend's per-run rate):
 * design-weighted with a 95% interval on the effective n, corrected with the judge's fp/fn per class
 * where known (the same numbers the escalator uses). Read through computeClassRates, the one reader.
 */
export async function loadRunClassRates(
  db: Queryable,
  runId: string,
  judgeRates: JudgeRatesFor,
): Promise<RunClassRate[]> {
  const rates = await computeClassRates(db, { runId, judgeRates });
  // the same verdicts split by the model that served them (a replaced model still serving shows here)
  const byModel = (await computeClassRates(db, { runId, judgeRates, byModel: true })).filter(
    (r) => r.source === 'routing' && r.model !== undefined,
  );
  return rates
    .filter((r) => r.source === 'routing')
    .map(({ source: _s, model: _m, ...r }) => ({
      ...r,
      judgeRates: judgeRates(r.taskType),
      models: byModel
        .filter((m) => m.taskType === r.taskType)
        .map((m) => ({
          model: m.model!,
          n: m.n,
          failures: m.failures,
          nEff: m.nEff,
          rate: m.rate,
          lower: m.lower,
          upper: m.upper,
        })),
    }));
}

/** Stores this run's class rates (scope 'run') with the escalator's decision per class, for the trend. */
export async function recordClassRates(
  db: Queryable,
  runId: string,
  rates: RunClassRate[],
  escalation: EscalationRun,
): Promise<void> {
  const byClass = new Map(escalation.classes.map((d) => [d.taskType, d]));
  const rows = rates.map(({ judgeRates: _j, models: _m, ...r }) => ({ ...r, source: 'routing' }));
  await writeClassRates(db, runId, 'run', rows, (r) => {
    const d = byClass.get(r.taskType);
    const cusum = d ? { s: d.statistic, h: d.threshold, m: d.m } : undefined;
    return { decision: d?.decision, to: d?.to, reason: d?.reason, cusum, correctedRate: r.corrected?.rate };
  });
}
