import type { Queryable } from '../db/db.js';
import { computeClassRates } from '../judge/compute-class-rates.js';
import type { JudgeRatesFor } from '../judge/judge-rates.js';
import type { RunClassRate } from './nightly-deps.js';

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
    .map((r) => ({
      taskType: r.taskType,
      n: r.n,
      failures: r.failures,
      nEff: r.nEff,
      rate: r.rate,
      lower: r.lower,
      upper: r.upper,
      ...(r.corrected ? { corrected: r.corrected, correctedRate: r.corrected.rate } : {}),
      judgeErrorRates: judgeRates(r.taskType),
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
