import type { Queryable } from '../db/db.js';
import type { JudgeRatesFor } from '../judge/judge-rates.js';
import { wilsonInterval } from '../stats/binomial-interval.js';
import type { RunClassRate } from './nightly-deps.js';

/**
 * Verdicts on routed responses judged in run `runId`, per class, with a 95% Wilson interval (the
 * trend's per-run rate), and the judge's fp/fn per class where known (the same numbers the escalator uses).
 */
export async function loadRunClassRates(db: Queryable, runId: string, judgeRates: JudgeRatesFor): Promise<RunClassRate[]> {
  const r = await db.query<{ task_type: string; n: string | number; failures: string | number }>(
    `select s.task_type, count(*) as n, count(*) filter (where j.verdict = 'fail') as failures
       from judgments j join samples s on s.id = j.sample_id
      where j.run_id = $1 and s.source = 'routing' and s.reason <> 'shadow'
      group by s.task_type order by s.task_type`,
    [runId],
  );
  return r.rows.map((row) => {
    const w = wilsonInterval(Number(row.failures), Number(row.n));
    return { taskType: row.task_type, n: Number(row.n), failures: Number(row.failures), rate: w.rate, lower: w.lower, upper: w.upper, judgeErrorRates: judgeRates(row.task_type) };
  });
}
