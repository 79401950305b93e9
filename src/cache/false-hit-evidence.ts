/**
 * Anytime-valid evidence that a cache's false-hit rate is below a target, from lookups drawn with
 * known (unequal) inclusion probabilities. Design-based: the logged lookups are fixed, the sampler's
 * hash draws lookup i with probability pi_i. For a bet size lambda, the product over judged lookups
 * of (1 + lambda * (r - y_i) / pi_i) divided by its design expectation prod_i (1 + lambda * (r - y_i))
 * over all lookups so far is a nonnegative martingale in arrival order (Waudby-Smith & Ramdas'
 * betting construction with Horvitz-Thompson weights). While the rate of all lookups so far is
 * >= r the denominator is <= exp(lambda * (r * N - F)) <= 1, so a fixed mixture over lambda that
 * reaches 1/alpha rejects "rate >= r" with probability <= alpha over every look, however many.
 */

/** Fixed bet sizes: 0.95 * 2^(-j/2), j = 0..27 (down to 8e-5); uniform prior weight 1/28. */
export const BET_SIZES: readonly number[] = Array.from({ length: 28 }, (_, j) => 0.95 * 2 ** (-j / 2));

/** Judged lookups that share an inclusion probability and a verdict. */
export interface EvidenceGroup {
  inclusionProb: number;
  falseHit: boolean;
  count: number;
}

/**
 * log of the mixture e-value against "false-hit rate >= target". A bet size is used only while it
 * is at most the smallest inclusion probability in the data (a false hit then multiplies by at
 * least `target`, never by a negative number); with no data the e-value is 1 (log 0).
 */
export function logFalseHitEValue(groups: readonly EvidenceGroup[], target: number): number {
  let piMin = Infinity;
  for (const g of groups) if (g.count > 0) piMin = Math.min(piMin, g.inclusionProb);
  if (piMin === Infinity) return 0;
  const logs: number[] = [];
  for (const lambda of BET_SIZES) {
    if (lambda > piMin) {
      // a bet too large for the smallest inclusion probability is dropped (capital 0: conservative)
      logs.push(-Infinity);
      continue;
    }
    let s = 0;
    for (const g of groups) {
      if (g.count === 0) continue;
      s += g.count * Math.log1p((lambda * (g.falseHit ? target - 1 : target)) / g.inclusionProb);
    }
    logs.push(s);
  }
  return logMeanExp(logs);
}

/** Whether the evidence certifies rate < target at level alpha (the e-value reached 1/alpha). */
export function certifiesBelow(groups: readonly EvidenceGroup[], target: number, alpha: number): boolean {
  return logFalseHitEValue(groups, target) >= Math.log(1 / alpha);
}

/**
 * The anytime-valid upper confidence bound: the smallest rate r (to 1e-5) that the evidence
 * rejects at level alpha; 1 when none is. The e-value grows with r, so bisection finds it.
 */
export function anytimeUpperBound(groups: readonly EvidenceGroup[], alpha: number): number {
  if (!certifiesBelow(groups, 1 - 1e-9, alpha)) return 1;
  let lo = 0;
  let hi = 1 - 1e-9;
  while (hi - lo > 1e-5) {
    const mid = (lo + hi) / 2;
    if (certifiesBelow(groups, mid, alpha)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Horvitz-Thompson (Hajek) weighted false-hit rate and Kish's effective n; null without data. */
export function weightedRate(groups: readonly EvidenceGroup[]): { rate: number | null; effectiveN: number } {
  let w = 0;
  let wf = 0;
  let w2 = 0;
  for (const g of groups) {
    const wi = 1 / g.inclusionProb;
    w += g.count * wi;
    w2 += g.count * wi * wi;
    if (g.falseHit) wf += g.count * wi;
  }
  return { rate: w > 0 ? wf / w : null, effectiveN: w2 > 0 ? (w * w) / w2 : 0 };
}

/**
 * Judged lookups still needed: how many more correct lookups drawn at `inclusionProb` would make
 * the evidence certify the target (null when a million would not: the observed rate is too high).
 */
export function moreNeeded(
  groups: readonly EvidenceGroup[],
  target: number,
  alpha: number,
  inclusionProb: number,
): number | null {
  const withMore = (m: number) => [...groups, { inclusionProb, falseHit: false, count: m }];
  if (certifiesBelow(groups, target, alpha)) return 0;
  let hi = 1;
  while (!certifiesBelow(withMore(hi), target, alpha)) {
    hi *= 2;
    if (hi > 1_000_000) return null;
  }
  let lo = hi / 2;
  if (hi === 1) return 1;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (certifiesBelow(withMore(mid), target, alpha)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** log(mean(exp(xs))) without overflow; -Infinity when every x is. */
export function logMeanExp(xs: number[]): number {
  const m = Math.max(...xs);
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return m + Math.log(s / xs.length);
}
