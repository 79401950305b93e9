import { binomialCdf, clopperPearsonUpper } from '../stats/binomial-interval.js';

/** One judged cache candidate: its best similarity and whether serving that match would be wrong. */
export interface JudgedLookup {
  similarity: number;
  falseHit: boolean;
}

/** At threshold t: judged candidates with similarity >= t, false hits among them, exact 95% upper bound. */
export interface CurvePoint {
  threshold: number;
  hits: number;
  falseHits: number;
  upper: number;
}

/** The certified threshold: lowest passing step of the fixed-sequence test. */
export interface Recommendation {
  threshold: number;
  /** Share of all logged lookups that would be served at this threshold. */
  hitShare: number;
  falseHitUpper: number;
  hits: number;
  falseHits: number;
}

/** Why nothing was certified, and how many judged lookups at the start threshold would be needed. */
export interface NotEnoughData {
  reason: string;
  startThreshold: number | null;
  judgedAtStart: number;
  falseHitsAtStart: number;
  judgedNeeded: number;
  more: number;
}

/** The false-hit curve and the fixed-sequence recommendation (escalation-statistics section 6). */
export interface ThresholdAnalysis {
  target: number;
  judged: number;
  curve: CurvePoint[];
  recommended: Recommendation | null;
  needed: NotEnoughData | null;
}

export interface AnalyseOptions {
  /** Largest acceptable false-hit rate (default 1%). */
  target?: number;
  /** One-sided level of the bound (default 0.05 -> 95%). */
  alpha?: number;
  grid?: number[];
  /** All logged lookups as (similarity, count) pairs, for the hit share; defaults to the judged ones. */
  population?: { similarity: number; count: number }[];
}

/** 0.50, 0.505, ..., 0.995: fine enough for cosine thresholds, coarse enough to stay a short sequence. */
export const DEFAULT_GRID: number[] = Array.from({ length: 100 }, (_, i) => Math.round((0.5 + i * 0.005) * 1000) / 1000);

/**
 * Learn-then-Test: start at the highest grid threshold with at least max(299, m/5) judged
 * candidates at or above it (chosen from scores only), step down while the Clopper-Pearson
 * upper bound stays under the target, keep the last threshold that passed. Because the tests
 * run in a fixed order, P(chosen threshold's true false-hit rate > target) <= alpha.
 */
export function analyseFalseHits(judged: JudgedLookup[], o: AnalyseOptions = {}): ThresholdAnalysis {
  const target = o.target ?? 0.01;
  const alpha = o.alpha ?? 0.05;
  const grid = [...(o.grid ?? DEFAULT_GRID)].sort((a, b) => a - b);
  const population = o.population ?? judged.map((j) => ({ similarity: j.similarity, count: 1 }));
  const total = population.reduce((s, p) => s + p.count, 0);
  const points = grid.map((t) => {
    const above = judged.filter((j) => j.similarity >= t);
    const falseHits = above.filter((j) => j.falseHit).length;
    return { threshold: t, hits: above.length, falseHits, upper: clopperPearsonUpper(falseHits, above.length, 1 - alpha) };
  });
  const minStart = Math.max(299, Math.ceil(judged.length / 5));
  const startIndex = lastIndexWhere(points, (p) => p.hits >= minStart);
  let passed: CurvePoint | null = null;
  for (let i = startIndex; i >= 0 && points[i].upper < target; i--) passed = points[i];
  const curve = points.filter((p) => p.hits > 0);
  if (passed) {
    const served = population.reduce((s, p) => s + (p.similarity >= passed!.threshold ? p.count : 0), 0);
    const recommended = { threshold: passed.threshold, hitShare: total ? served / total : 0, falseHitUpper: passed.upper, hits: passed.hits, falseHits: passed.falseHits };
    return { target, judged: judged.length, curve, recommended, needed: null };
  }
  return { target, judged: judged.length, curve, recommended: null, needed: explainShortfall(points, startIndex, minStart, target, alpha) };
}

function explainShortfall(points: CurvePoint[], startIndex: number, minStart: number, target: number, alpha: number): NotEnoughData {
  if (startIndex < 0) {
    const lowest = points[0];
    const n = judgedNeeded(0, target, alpha);
    const judgedNow = lowest?.hits ?? 0;
    return {
      reason: `not enough data: no grid threshold has the ${minStart} judged lookups the fixed-sequence test starts from`,
      startThreshold: null, judgedAtStart: judgedNow, falseHitsAtStart: lowest?.falseHits ?? 0,
      judgedNeeded: Math.max(n, minStart), more: Math.max(n, minStart) - judgedNow,
    };
  }
  const s = points[startIndex];
  const n = judgedNeeded(s.falseHits, target, alpha);
  const observed = s.falseHits / s.hits;
  const why = observed >= target
    ? `the observed false-hit rate there (${s.falseHits} of ${s.hits}) is already above ${target}, so more labels at this threshold will not certify it; the cache (or its embedder) needs a stricter threshold with more judged lookups above it`
    : `the upper bound ${s.upper.toFixed(4)} is not under ${target} (${s.falseHits} false of ${s.hits})`;
  return {
    reason: `not enough data: at the start threshold ${s.threshold} ${why}`,
    startThreshold: s.threshold, judgedAtStart: s.hits, falseHitsAtStart: s.falseHits, judgedNeeded: n, more: Math.max(0, n - s.hits),
  };
}

/**
 * Smallest n with BinomCDF(k; n, target) <= alpha: judged hits needed to certify the target
 * when k false hits are seen (299 for k = 0 at 1%, 473 for k = 1; section 6 table).
 */
export function judgedNeeded(k: number, target: number, alpha = 0.05): number {
  let hi = Math.max(k + 1, 16);
  while (binomialCdf(k, hi, target) > alpha) hi *= 2;
  let lo = k;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (binomialCdf(k, mid, target) <= alpha) hi = mid;
    else lo = mid;
  }
  return hi;
}

function lastIndexWhere<T>(xs: T[], f: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (f(xs[i])) return i;
  return -1;
}
