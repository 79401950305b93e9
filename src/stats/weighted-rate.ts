import { normalQuantile } from './binomial-interval.js';

/**
 * Sums over judged samples with design weights w = 1 / inclusion probability (issue 11 item 2):
 * enough for the Hajek rate, Kish's effective n and the linearised variance.
 */
export interface WeightedCounts {
  /** Judged samples. */
  n: number;
  /** Judged samples that failed (unweighted). */
  failures: number;
  /** Sum of w. */
  sumW: number;
  /** Sum of w over failures. */
  sumWFail: number;
  /** Sum of w squared. */
  sumW2: number;
  /** Sum of w squared over failures. */
  sumW2Fail: number;
}

/** A design-weighted error rate with its interval, sample size and effective sample size. */
export interface WeightedRate {
  n: number;
  failures: number;
  /** Effective n used for the interval: min(Kish, linearised); equals n with equal weights. */
  nEff: number;
  /** Hajek estimate sum(w y) / sum(w); null without judged samples ("no data"). */
  rate: number | null;
  lower: number;
  upper: number;
  level: number;
  method: 'wilson-effective-n';
}

/** Counts of unweighted verdicts (every weight 1): the legacy, equal-probability case. */
export function unitWeights(n: number, failures: number): WeightedCounts {
  return { n, failures, sumW: n, sumWFail: failures, sumW2: n, sumW2Fail: failures };
}

/** Adds one judged sample drawn with probability `p` (null or non-positive: weight 1, a pre-migration sample). */
export function addSample(c: WeightedCounts, failed: boolean, p: number | null): WeightedCounts {
  const w = p !== null && p > 0 ? 1 / p : 1;
  return {
    n: c.n + 1,
    failures: c.failures + (failed ? 1 : 0),
    sumW: c.sumW + w,
    sumWFail: c.sumWFail + (failed ? w : 0),
    sumW2: c.sumW2 + w * w,
    sumW2Fail: c.sumW2Fail + (failed ? w * w : 0),
  };
}

export const EMPTY_COUNTS: WeightedCounts = { n: 0, failures: 0, sumW: 0, sumWFail: 0, sumW2: 0, sumW2Fail: 0 };

/**
 * Hajek rate over 1/pi weights with a Wilson interval on an effective n. The effective n is the
 * smaller of Kish's (sum w)^2 / sum w^2 and the linearised p(1-p) / Var(Hajek), where
 * Var = sum w^2 (y - p)^2 / (sum w)^2 (with-replacement approximation, conservative), so weights
 * that correlate with errors (a boost triggered by failures) cannot make the interval too narrow.
 */
export function weightedRate(c: WeightedCounts, level = 0.95): WeightedRate {
  if (c.n === 0 || c.sumW <= 0)
    return {
      n: c.n,
      failures: c.failures,
      nEff: 0,
      rate: null,
      lower: 0,
      upper: 1,
      level,
      method: 'wilson-effective-n',
    };
  const p = c.sumWFail / c.sumW;
  const kish = (c.sumW * c.sumW) / c.sumW2;
  // sum w^2 (y - p)^2 = sumW2Fail (1-p)^2 + (sumW2 - sumW2Fail) p^2
  const v = (c.sumW2Fail * (1 - p) ** 2 + (c.sumW2 - c.sumW2Fail) * p * p) / (c.sumW * c.sumW);
  const lin = v > 0 ? (p * (1 - p)) / v : Infinity;
  const nEff = Math.min(c.n, kish, lin);
  const z = normalQuantile(1 - (1 - level) / 2);
  const [lower, upper] = wilsonOnRate(p, nEff, z);
  return { n: c.n, failures: c.failures, nEff, rate: p, lower, upper, level, method: 'wilson-effective-n' };
}

/** Wilson score bounds for a rate p observed on a (possibly fractional) effective n. */
export function wilsonOnRate(p: number, n: number, z: number): [number, number] {
  if (n <= 0) return [0, 1];
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, (centre - half) / denom), Math.min(1, (centre + half) / denom)];
}
