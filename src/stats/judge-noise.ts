/**
 * Judge noise (notes section 4 and 7): a judge with false-positive rate fp (flags a correct answer) and
 * false-negative rate fn (misses an error) shows q(p) = fp + (1 - fp - fn) p for a true error rate p.
 */
export function apparentRate(p: number, fp: number, fn: number): number {
  return fp + (1 - fp - fn) * p;
}

/** The true rate behind an observed flag rate: q(p) inverted (Rogan-Gladen), clamped to [0, 1]. */
export function correctForJudgeNoise(observed: number, fp: number, fn: number): number {
  const d = 1 - fp - fn;
  if (d <= 0) return observed; // a judge no better than chance cannot be inverted
  return Math.min(1, Math.max(0, (observed - fp) / d));
}

/** Inputs of a human review of one class: its flag rate and the reviewed flags and passes. */
export interface ReviewCounts {
  /** Judge flag rate f of the class over the window. */
  flagRate: number;
  reviewedFlags: number;
  /** Reviewed flags that humans confirmed as real errors. */
  confirmedFlags: number;
  reviewedPasses: number;
  /** Reviewed passes that humans found to be errors. */
  missedErrors: number;
}

/** fp-hat, fn-hat and the stratified true-rate estimate from a review (notes section 7, step 1). */
export interface ReviewEstimate {
  ppv: number | null;
  forRate: number | null;
  p: number | null;
  fp: number | null;
  fn: number | null;
}

/**
 * PPV = confirmed / reviewed flags, FOR = missed / reviewed passes, p = f PPV + (1-f) FOR,
 * fp = f (1 - PPV) / (1 - p), fn = (1 - f) FOR / p. A stratum without reviews gives nulls.
 */
export function estimateFromReview(c: ReviewCounts): ReviewEstimate {
  const f = c.flagRate;
  const ppv = c.reviewedFlags > 0 ? c.confirmedFlags / c.reviewedFlags : null;
  const forRate = c.reviewedPasses > 0 ? c.missedErrors / c.reviewedPasses : null;
  // with no flags (f = 0) or no passes (f = 1) the missing stratum carries no weight
  const ppvTerm = f === 0 ? 0 : ppv;
  const forTerm = f === 1 ? 0 : forRate;
  if (ppvTerm === null || forTerm === null) return { ppv, forRate, p: null, fp: null, fn: null };
  const p = f * ppvTerm + (1 - f) * forTerm;
  const fp = p < 1 ? (f * (1 - ppvTerm)) / (1 - p) : 0;
  const fn = p > 0 ? ((1 - f) * forTerm) / p : 0;
  return { ppv, forRate, p, fp, fn };
}
