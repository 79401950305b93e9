import { normalQuantile, wilsonInterval } from '../stats/binomial-interval.js';

/** A mean score in [0, 1] over n items with a two-sided interval. */
export interface ScoreEstimate {
  n: number;
  mean: number | null;
  lower: number;
  upper: number;
}

/**
 * Mean of per-item scores in [0, 1] with a 95% Wilson interval. 0/1 scores give the usual
 * Wilson interval; fractional scores (evidence coverage) use the same formula on the summed
 * score, which is conservative because a [0, 1] variable with mean p has variance <= p(1-p).
 */
export function scoreInterval(scores: number[], level = 0.95): ScoreEstimate {
  const n = scores.length;
  if (n === 0) return { n, mean: null, lower: 0, upper: 1 };
  const sum = scores.reduce((a, b) => a + b, 0);
  if (scores.every((s) => s === 0 || s === 1)) {
    const w = wilsonInterval(n - sum, n, level);
    return { n, mean: sum / n, lower: 1 - w.upper, upper: 1 - w.lower };
  }
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = sum / n;
  const denom = 1 + (z * z) / n;
  const centre = p + (z * z) / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { n, mean: p, lower: Math.max(0, (centre - half) / denom), upper: Math.min(1, (centre + half) / denom) };
}
