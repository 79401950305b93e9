import type { Queryable } from '../../db/db.js';
import { wilsonInterval } from '../../stats/binomial-interval.js';
import { fisherExactTwoSided } from '../../stats/fisher-exact.js';
import type { CalibrationResult } from './run-calibration.js';

/** Each of the two tests (fp, fn) runs at half of this level (Bonferroni), so a steady judge is called moved at most 1% of the time. */
export const DRIFT_ALPHA = 0.01;

type Counts = CalibrationResult['counts'];
type Rate = { rate: number | null; lower: number; upper: number; n: number };

/** The stored calibration a check compares with. */
export interface CalibrationBaseline {
  at: string;
  n: number;
  counts: Counts;
}

/** One gold set's check: the stored rates, today's, the exact tests and whether the judge moved. */
export interface DriftCheck {
  dataset: string;
  method: string;
  provider: string;
  model: string | null;
  baseline: { at: string; n: number; fp: Rate; fn: Rate };
  now: { n: number; fp: Rate; fn: Rate };
  /** Two-sided Fisher exact p-values: baseline against now, for each error rate. */
  pFp: number;
  pFn: number;
  moved: boolean;
}

/** The latest stored gold calibration of the same judge (provider, model) and method on `dataset`, or null. */
export async function loadCalibrationBaseline(
  db: Queryable,
  r: Pick<CalibrationResult, 'dataset' | 'method' | 'provider' | 'model'>,
): Promise<CalibrationBaseline | null> {
  const rows = await db.query<{ created_at: Date | string; n: number; details: { counts?: Counts } }>(
    `select created_at, n, details from judge_calibrations
      where source = 'gold' and dataset = $1 and method = $2 and provider = $3 and model is not distinct from $4
      order by created_at desc, id desc limit 1`,
    [r.dataset, r.method, r.provider, r.model],
  );
  const row = rows.rows[0];
  if (!row?.details.counts) return null;
  return { at: new Date(row.created_at).toISOString(), n: row.n, counts: row.details.counts };
}

/**
 * Pure: has the judge moved since its stored calibration? Its false-flag rate (over correct answers)
 * and its miss rate (over wrong answers) are each compared with a two-sided Fisher exact test at
 * DRIFT_ALPHA / 2; either one below moves it. Re-scoring frozen gold items each night and refusing
 * to act on a judge that moved guards against a silent model update or a prompt change.
 */
export function checkJudgeDrift(now: CalibrationResult, baseline: CalibrationBaseline): DriftCheck {
  const b = baseline.counts;
  const c = now.counts;
  const rate = (k: number, n: number): Rate => ({ ...wilsonInterval(k, n), n });
  const pFp = fisherExactTwoSided(b.falseFlag, b.truePass, c.falseFlag, c.truePass);
  const pFn = fisherExactTwoSided(b.missed, b.trueFlag, c.missed, c.trueFlag);
  return {
    dataset: now.dataset,
    method: now.method,
    provider: now.provider,
    model: now.model,
    baseline: {
      at: baseline.at,
      n: baseline.n,
      fp: rate(b.falseFlag, b.falseFlag + b.truePass),
      fn: rate(b.missed, b.missed + b.trueFlag),
    },
    now: { n: now.n, fp: now.fp, fn: now.fn },
    pFp,
    pFn,
    moved: pFp < DRIFT_ALPHA / 2 || pFn < DRIFT_ALPHA / 2,
  };
}
