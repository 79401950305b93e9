import { normalQuantile } from '../stats/binomial-interval.js';
import { scoreInterval } from './retention-interval.js';

/** The drop baseline - compressed of paired per-item scores, with a two-sided interval. */
export interface DropEstimate {
  n: number;
  drop: number;
  lower: number;
  upper: number;
  method: 'newcombe-paired' | 'paired-normal';
}

/**
 * Interval on the difference of paired proportions (same items, uncompressed vs compressed).
 * 0/1 scores: Newcombe's method 10 (MOVER from the two Wilson intervals, corrected by the phi
 * correlation of the 2x2 table). Fractional scores: normal interval on the mean paired difference.
 */
export function pairedDropInterval(baseline: number[], compressed: number[], level = 0.95): DropEstimate {
  if (baseline.length !== compressed.length)
    throw new RangeError(`paired scores need equal lengths, got ${baseline.length} and ${compressed.length}`);
  const n = baseline.length;
  if (n === 0) return { n, drop: 0, lower: -1, upper: 1, method: 'newcombe-paired' };
  const binary = [...baseline, ...compressed].every((s) => s === 0 || s === 1);
  return binary ? newcombe(baseline, compressed, level) : pairedNormal(baseline, compressed, level);
}

function newcombe(base: number[], comp: number[], level: number): DropEstimate {
  const n = base.length;
  let a = 0,
    b = 0,
    c = 0,
    d = 0;
  base.forEach((x, i) => {
    if (x === 1 && comp[i] === 1) a++;
    else if (x === 1) b++;
    else if (comp[i] === 1) c++;
    else d++;
  });
  const p1 = (a + b) / n;
  const p2 = (a + c) / n;
  const w1 = scoreInterval(base, level);
  const w2 = scoreInterval(comp, level);
  const den = (a + b) * (c + d) * (a + c) * (b + d);
  const phi = den === 0 ? 0 : (a * d - b * c) / Math.sqrt(den);
  const drop = p1 - p2;
  const lo = Math.sqrt(
    Math.max(0, (p1 - w1.lower) ** 2 - 2 * phi * (p1 - w1.lower) * (w2.upper - p2) + (w2.upper - p2) ** 2),
  );
  const hi = Math.sqrt(
    Math.max(0, (w1.upper - p1) ** 2 - 2 * phi * (w1.upper - p1) * (p2 - w2.lower) + (p2 - w2.lower) ** 2),
  );
  return { n, drop, lower: Math.max(-1, drop - lo), upper: Math.min(1, drop + hi), method: 'newcombe-paired' };
}

function pairedNormal(base: number[], comp: number[], level: number): DropEstimate {
  const n = base.length;
  const diffs = base.map((x, i) => x - comp[i]);
  const drop = diffs.reduce((s, x) => s + x, 0) / n;
  const variance = n > 1 ? diffs.reduce((s, x) => s + (x - drop) ** 2, 0) / (n - 1) : 1;
  const half = normalQuantile(1 - (1 - level) / 2) * Math.sqrt(variance / n);
  return { n, drop, lower: Math.max(-1, drop - half), upper: Math.min(1, drop + half), method: 'paired-normal' };
}
