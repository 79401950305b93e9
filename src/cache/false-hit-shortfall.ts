import { binomialCdf } from '../stats/binomial-interval.js';
import { type EvidenceGroup, moreNeeded } from './false-hit-evidence.js';

/** Cache samples whose similarities fix where the step-down starts, and the share that must lie above it. */
export const START_SAMPLES = 500;
export const START_SHARE = 0.2;

/** Why nothing was certified, and (when it can be said) how many more judged lookups would be needed. */
export interface NotEnoughData {
  /** Starts with "not certified: ...". */
  reason: string;
  startThreshold: number | null;
  judgedAtStart: number;
  falseHitsAtStart: number;
  /** Judged lookups at the start in all (null: the observed rate is too high for more to help). */
  judgedNeeded: number | null;
  more: number | null;
}

/** Why the class's curve certifies no threshold yet, and how many more judged lookups would (when that can be said). */
export function explainShortfall(
  points: {
    index: number;
    threshold: number;
    hits: number;
    falseHits: number;
    weightedRate: number | null;
    piMin: number;
    groups?: EvidenceGroup[];
    upper: number;
  }[],
  startIndex: number | null,
  grid: number[],
  sampled: number,
  target: number,
  alpha: number,
  bounds: boolean,
): NotEnoughData {
  if (startIndex === null) {
    return {
      reason: `not certified: n < ${START_SAMPLES} cache samples of the class fix where the step-down starts (${sampled} so far)`,
      startThreshold: null,
      judgedAtStart: 0,
      falseHitsAtStart: 0,
      judgedNeeded: null,
      more: null,
    };
  }
  const s = points.find((p) => p.index <= startIndex);
  if (!s || s.index !== startIndex) {
    return {
      reason: `not certified: no judged lookup at or above the start threshold ${grid[startIndex]} yet`,
      startThreshold: grid[startIndex],
      judgedAtStart: s && s.index === startIndex ? s.hits : 0,
      falseHitsAtStart: 0,
      judgedNeeded: null,
      more: null,
    };
  }
  if (!bounds)
    return {
      reason: `not certified: at the start threshold ${s.threshold}`,
      startThreshold: s.threshold,
      judgedAtStart: s.hits,
      falseHitsAtStart: s.falseHits,
      judgedNeeded: null,
      more: null,
    };
  const rate = s.weightedRate ?? 0;
  // at or above the target, more labels at the same rate cannot certify it
  const more = rate >= target ? null : moreNeeded(s.groups ?? [], target, alpha, s.piMin);
  const why =
    more === null
      ? `the weighted false-hit rate there (${pct(rate)}, ${s.falseHits} false of ${s.hits} judged) is not below the target, so more labels at this threshold will not certify ${pct(target)}; the cache (or its embedder) needs a stricter threshold`
      : `the anytime ${pct(1 - alpha, 0)} bound ${pct(s.upper)} has not crossed ${pct(target)} yet (${s.falseHits} false of ${s.hits} judged, weighted rate ${pct(rate)})`;
  return {
    reason: `not certified: at the start threshold ${s.threshold} ${why}`,
    startThreshold: s.threshold,
    judgedAtStart: s.hits,
    falseHitsAtStart: s.falseHits,
    judgedNeeded: more === null ? null : s.hits + more,
    more,
  };
}

function pct(x: number, digits = 2): string {
  return `${(x * 100).toFixed(digits)}%`;
}

/**
 * Smallest n with BinomCDF(k; n, target) <= alpha: judged hits a single pre-planned look at one
 * threshold needs with k false hits (299 for k = 0 at 1%; section 6 table). The anytime bound the
 * certification uses needs more (it is valid at every look): see docs/semantic-cache.md.
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

/** Highest grid index with START_SHARE of the first START_SAMPLES similarities at or above it; null before there are that many. */
export function startOf(grid: number[], sampled: number[]): number | null {
  if (sampled.length < START_SAMPLES) return null;
  const first = sampled.slice(0, START_SAMPLES);
  const need = Math.ceil(START_SAMPLES * START_SHARE);
  for (let i = grid.length - 1; i >= 0; i--) if (first.filter((x) => x >= grid[i]).length >= need) return i;
  return null;
}
