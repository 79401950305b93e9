/**
 * A judge's calibrated error rates: fp flags a correct answer, fn misses a real error. The one type
 * the escalator's CUSUM weight, the corrected rates of the reports and the judge-rate loaders share.
 */
export interface JudgeRates {
  fp: number;
  fn: number;
  /** 95% intervals when measured (review, gold set); a config value has none (exact). */
  fpInterval?: [number, number];
  fnInterval?: [number, number];
  /** Where they were measured, e.g. "review:classify" or "gold:gsm8k/numeric-answer" (shown in reasons). */
  from?: string;
}

/** The judge's error rates for a task class (its cache hits when `source` is a cache one), with where they come from; undefined = none known. */
export type JudgeRatesFor = (taskType: string, source?: string) => JudgeRates | undefined;

/** A perfect judge. */
export const PERFECT_JUDGE: JudgeRates = { fp: 0, fn: 0 };

/**
 * q(p) = fp + (1 - fp - fn) p: the judge-flag rate a true error rate p shows up as (notes sections 4
 * and 7). Its inverse is trueScale.
 */
export function judgeScale(p: number, judge: Pick<JudgeRates, 'fp' | 'fn'>): number {
  return judge.fp + (1 - judge.fp - judge.fn) * p;
}

/** The true rate behind an observed flag rate q: q(p) inverted (Rogan-Gladen), clamped to [0, 1]. */
export function trueScale(q: number, judge: Pick<JudgeRates, 'fp' | 'fn'>): number {
  const d = 1 - judge.fp - judge.fn;
  if (d <= 0) return q; // a judge no better than chance cannot be inverted
  return Math.min(1, Math.max(0, (q - judge.fp) / d));
}

/** The judge-rate ends that make a true-scale bound smallest: the lowest fp and the highest fn (q(p) rises with fp, falls with fn). */
export function conservativeJudge<T extends JudgeRates>(j: T): T {
  return { ...j, fp: j.fpInterval?.[0] ?? j.fp, fn: j.fnInterval?.[1] ?? j.fn };
}
