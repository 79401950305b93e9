import { betaQuantile } from './binomial-interval.js';
import { trueScale, type JudgeRates } from './judge-scale.js';

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
  /** 95% intervals of fp and fn from the Beta posteriors of PPV and FOR (null when fp is null). */
  fpInterval?: [number, number] | null;
  fnInterval?: [number, number] | null;
}

/** The benchmark false-negative rate the notes give (section 7) as the prior when a review finds no missed error. */
export const FN_PRIOR_MEAN = 0.1;

/** Credible level of the fp / fn intervals. */
export const JUDGE_RATE_LEVEL = 0.95;

/**
 * PPV = confirmed / reviewed flags and FOR = missed / reviewed passes as Beta posteriors:
 * PPV ~ Beta(confirmed + 1/2, unconfirmed + 1/2) (Jeffreys); FOR ~ Beta(missed + 1, passes - missed + b0),
 * whose prior Beta(1, b0) is worth one missed error and has the mean that gives fn = 10% (the notes'
 * benchmark) at the observed f and PPV. Then p = f PPV + (1-f) FOR, fp = f (1 - PPV) / (1 - p),
 * fn = (1 - f) FOR / p at the posterior means, so a review without a missed error gives fn > 0, not 0.
 * Intervals: fp from PPV's 95% bounds; fn from FOR's and PPV's bounds on the sides that widen it.
 * A stratum without reviews (and with weight) gives nulls.
 */
export function estimateFromReview(c: ReviewCounts): ReviewEstimate {
  const f = c.flagRate;
  const ppvPost =
    c.reviewedFlags > 0 ? ([c.confirmedFlags + 0.5, c.reviewedFlags - c.confirmedFlags + 0.5] as const) : null;
  // ppv and forRate are reported as observed; the estimates use the posterior means
  const ppv = c.reviewedFlags > 0 ? c.confirmedFlags / c.reviewedFlags : null;
  const observedFor = c.reviewedPasses > 0 ? c.missedErrors / c.reviewedPasses : null;
  // with no flags (f = 0) or no passes (f = 1) the missing stratum carries no weight
  const ppvTerm = f === 0 ? 0 : ppvPost ? ppvPost[0] / (ppvPost[0] + ppvPost[1]) : null;
  if (ppvTerm === null || (f < 1 && c.reviewedPasses === 0)) {
    return { ppv, forRate: observedFor, p: null, fp: null, fn: null, fpInterval: null, fnInterval: null };
  }
  const caught = f * ppvTerm;
  const for0 = Math.min(0.5, Math.max(1e-4, f < 1 ? ((FN_PRIOR_MEAN / (1 - FN_PRIOR_MEAN)) * caught) / (1 - f) : 1e-4));
  const forPost = [c.missedErrors + 1, c.reviewedPasses - c.missedErrors + (1 / for0 - 1)] as const;
  const forMean = f === 1 ? 0 : forPost[0] / (forPost[0] + forPost[1]);
  const lo = (1 - JUDGE_RATE_LEVEL) / 2;
  const q = (post: readonly [number, number] | null, x: number, fallback: number) =>
    post ? betaQuantile(x, post[0], post[1]) : fallback;
  const ppvLo = f === 0 ? 0 : q(ppvPost, lo, 0);
  const ppvHi = f === 0 ? 0 : q(ppvPost, 1 - lo, 1);
  const forLo = f === 1 ? 0 : betaQuantile(lo, forPost[0], forPost[1]);
  const forHi = f === 1 ? 0 : betaQuantile(1 - lo, forPost[0], forPost[1]);
  const rates = (pp: number, fr: number) => {
    const p = f * pp + (1 - f) * fr;
    return { p, fp: p < 1 ? (f * (1 - pp)) / (1 - p) : 0, fn: p > 0 ? ((1 - f) * fr) / p : 0 };
  };
  const mid = rates(ppvTerm, forMean);
  const fpInterval: [number, number] = [rates(ppvHi, forMean).fp, rates(ppvLo, forMean).fp];
  const fnInterval: [number, number] = [rates(ppvHi, forLo).fn, rates(ppvLo, forHi).fn];
  return { ppv, forRate: observedFor, p: mid.p, fp: mid.fp, fn: mid.fn, fpInterval, fnInterval };
}

/** fp and fn from a gold set: Jeffreys posterior for fp, Beta(1, 9) prior (mean 10%) for fn; 95% intervals. */
export function judgeRatesFromGold(c: {
  truePass: number;
  falseFlag: number;
  trueFlag: number;
  missed: number;
}): Required<Omit<JudgeRates, 'from'>> {
  const lo = (1 - JUDGE_RATE_LEVEL) / 2;
  const fpA = c.falseFlag + 0.5;
  const fpB = c.truePass + 0.5;
  const fnA = c.missed + FN_PRIOR_MEAN * 10;
  const fnB = c.trueFlag + (1 - FN_PRIOR_MEAN) * 10;
  return {
    fp: c.truePass + c.falseFlag > 0 ? c.falseFlag / (c.truePass + c.falseFlag) : fpA / (fpA + fpB),
    fn: fnA / (fnA + fnB),
    fpInterval: [betaQuantile(lo, fpA, fpB), betaQuantile(1 - lo, fpA, fpB)],
    fnInterval: [betaQuantile(lo, fnA, fnB), betaQuantile(1 - lo, fnA, fnB)],
  };
}

/** A true-scale rate recovered from a raw (judge-flag) rate and its interval. */
export interface CorrectedRate {
  rate: number | null;
  lower: number;
  upper: number;
  /** Set when the upper end assumed fp = 0 because the flag rate's upper bound was under the judge's fp. */
  note?: string;
}

/**
 * Rogan-Gladen correction of a raw rate and its interval, carrying the uncertainty of fp and fn:
 * lower = correct(raw lower, fp upper, fn lower), upper = correct(raw upper, fp lower, fn upper).
 * Never zero-width: when the raw upper bound sits under the judge's fp (the correction clamps it to
 * 0), the upper end assumes the judge raises no false flag at all.
 */
export function correctInterval(
  raw: { rate: number | null; lower: number; upper: number },
  j: JudgeRates,
): CorrectedRate {
  const [fpLo, fpHi] = j.fpInterval ?? [j.fp, j.fp];
  const [fnLo, fnHi] = j.fnInterval ?? [j.fn, j.fn];
  const rate = raw.rate === null ? null : trueScale(raw.rate, j);
  const lower = trueScale(raw.lower, { fp: fpHi, fn: fnLo });
  let upper = trueScale(raw.upper, { fp: fpLo, fn: fnHi });
  let note: string | undefined;
  if (upper <= lower) {
    upper = Math.max(trueScale(raw.upper, { fp: 0, fn: fnHi }), Math.min(1, lower + 1e-9));
    note = 'raw upper bound under the judge fp: upper end assumes no false flags';
  }
  return {
    rate: rate === null ? null : Math.min(Math.max(rate, lower), upper),
    lower,
    upper,
    ...(note ? { note } : {}),
  };
}
