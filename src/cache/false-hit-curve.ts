import { BET_SIZES, anytimeUpperBound, logMeanExp, type EvidenceGroup } from './false-hit-evidence.js';
import {
  explainShortfall,
  judgedNeeded,
  type NotEnoughData,
  START_SAMPLES,
  START_SHARE,
  startOf,
} from './false-hit-shortfall.js';

export { judgedNeeded, START_SAMPLES, START_SHARE, type NotEnoughData };

/**
 * One judged cache candidate: its best similarity, whether serving that match would be wrong, and
 * the probability the sampler drew it with (missing: 1, as for samples drawn before it was stored).
 */
export interface JudgedLookup {
  similarity: number;
  falseHit: boolean;
  inclusionProb?: number | null;
}

/** At threshold t: judged candidates with similarity >= t, false hits among them, and the estimate. */
export interface CurvePoint {
  threshold: number;
  hits: number;
  falseHits: number;
  /** Inclusion-weighted (Hajek) false-hit rate of the lookups at or above t. */
  weightedRate: number | null;
  /** Kish's effective number of judged lookups under the weights. */
  effectiveN: number;
  /** Anytime-valid one-sided upper bound at the analysis level (1 when nothing bounds it yet). */
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
  weightedRate: number | null;
}

/** The false-hit curve and the fixed-sequence certification of one task class. */
export interface ThresholdAnalysis {
  target: number;
  alpha: number;
  judged: number;
  /** Where the step-down starts (fixed from the class's first cache samples) and stops (lowest judged similarity). */
  start: number | null;
  floor: number | null;
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
  /**
   * Similarities of the class's cache samples in the order they were drawn (judged or not). The
   * start of the step-down is fixed from the first START_SAMPLES of them; defaults to `judged` in order.
   */
  sampledSimilarities?: number[];
  /** Compute the upper bound of every curve point (default true; false: none, simulations only need the decision). */
  bounds?: boolean;
}

/** 0.50, 0.505, ..., 0.995: fine enough for cosine thresholds, coarse enough to stay a short sequence. */
export const DEFAULT_GRID: number[] = Array.from(
  { length: 100 },
  (_, i) => Math.round((0.5 + i * 0.005) * 1000) / 1000,
);

/**
 * Fixed-sequence test with an anytime-valid weighted bound at each step. The start is the highest
 * grid threshold with a fifth of the class's first 500 cache samples at or above it: a function of
 * similarities drawn before (and independent of) any verdict, so the same on every later night.
 * From there it steps down while the betting e-value against "false-hit rate >= target" has
 * reached 1/alpha, and never below the lowest judged similarity. Each bound holds at every look
 * (Ville), and the order is fixed, so P(some night certifies a threshold whose false-hit rate is
 * >= target) <= alpha.
 */
export function analyseFalseHits(judged: JudgedLookup[], o: AnalyseOptions = {}): ThresholdAnalysis {
  const evidence = createFalseHitEvidence(o.grid);
  for (const j of judged) evidence.add(j);
  return evidence.analyse({ ...o, sampledSimilarities: o.sampledSimilarities ?? judged.map((j) => j.similarity) });
}

/**
 * Judged lookups of one grid bin (the highest grid threshold at or below their similarity, -1 below
 * the grid) with one inclusion probability and verdict, as the database aggregates them.
 */
export interface JudgedCell {
  bin: number;
  inclusionProb?: number | null;
  falseHit: boolean;
  count: number;
  /** Lowest similarity among the cell's lookups (the step-down's floor). */
  minSimilarity: number;
}

/** Judged lookups binned on the grid by (inclusion probability, verdict), for repeated analyses. */
export interface FalseHitEvidence {
  add(j: JudgedLookup): void;
  /** Adds a cell's lookups at once: cells added in order of their first lookup give what adding each lookup gives. */
  addCell(c: JudgedCell): void;
  analyse(o: Omit<AnalyseOptions, 'grid'> & { sampledSimilarities: number[] }): ThresholdAnalysis;
}

/** Accumulates judged lookups once; analyse() runs the certification over everything added so far. */
export function createFalseHitEvidence(gridIn: number[] = DEFAULT_GRID): FalseHitEvidence {
  const grid = [...gridIn].sort((a, b) => a - b);
  const groups: EvidenceGroup[] = [];
  const groupIds = new Map<string, number>();
  const bins: Map<number, number>[] = grid.map(() => new Map());
  let judged = 0;
  let minSimilarity = Infinity;
  const addCell = (c: JudgedCell) => {
    judged += c.count;
    if (c.bin < 0) return;
    minSimilarity = Math.min(minSimilarity, c.minSimilarity);
    const pi = c.inclusionProb ?? 1;
    if (!(pi > 0 && pi <= 1))
      throw new RangeError(`inclusion probability ${pi} of a judged cache lookup is not in (0, 1]`);
    const key = `${pi}|${c.falseHit}`;
    let id = groupIds.get(key);
    if (id === undefined) {
      id = groups.length;
      groups.push({ inclusionProb: pi, falseHit: c.falseHit, count: 0 });
      groupIds.set(key, id);
    }
    bins[c.bin].set(id, (bins[c.bin].get(id) ?? 0) + c.count);
  };
  return {
    add(j) {
      addCell({ ...j, bin: binOf(grid, j.similarity), count: 1, minSimilarity: j.similarity });
    },
    addCell,
    analyse(o) {
      return analyseBins(grid, groups, bins, judged, minSimilarity, o);
    },
  };
}

/** The curve as reported: lowest threshold first, without the step-down's working fields. */
function toCurve(points: CurvePoint[]): CurvePoint[] {
  return points
    .map(({ threshold, hits, falseHits, weightedRate, effectiveN, upper }) => ({
      threshold,
      hits,
      falseHits,
      weightedRate,
      effectiveN,
      upper,
    }))
    .reverse();
}

function analyseBins(
  grid: number[],
  groups: EvidenceGroup[],
  bins: Map<number, number>[],
  judged: number,
  minSimilarity: number,
  o: Omit<AnalyseOptions, 'grid'> & { sampledSimilarities: number[] },
): ThresholdAnalysis {
  const target = o.target ?? 0.01;
  const alpha = o.alpha ?? 0.05;
  const floorIndex = minSimilarity === Infinity ? grid.length : grid.findIndex((t) => t >= minSimilarity - 1e-12);
  const floor = floorIndex >= 0 && floorIndex < grid.length ? grid[floorIndex] : null;
  const startIndex = startOf(grid, o.sampledSimilarities);
  const logLevel = Math.log(1 / alpha);
  // log-factors per group and bet size at the target, computed once
  const factor = groups.map((g) =>
    BET_SIZES.map((l) => Math.log1p((l * (g.falseHit ? target - 1 : target)) / g.inclusionProb)),
  );
  const logW = BET_SIZES.map(() => 0);
  const cum = groups.map(() => 0);
  let piMin = Infinity;
  let hits = 0;
  let falseHits = 0;
  let w = 0;
  let wf = 0;
  let w2 = 0;
  const points: (CurvePoint & { index: number; piMin: number; groups?: EvidenceGroup[] })[] = [];
  const bounds = o.bounds ?? true;
  let passed: (typeof points)[number] | null = null;
  let chain = startIndex !== null; // still stepping down
  for (let i = grid.length - 1; i >= 0 && floorIndex >= 0 && i >= floorIndex; i--) {
    for (const [id, n] of bins[i]) {
      const g = groups[id];
      cum[id] += n;
      hits += n;
      if (g.falseHit) falseHits += n;
      piMin = Math.min(piMin, g.inclusionProb);
      w += n / g.inclusionProb;
      w2 += n / (g.inclusionProb * g.inclusionProb);
      if (g.falseHit) wf += n / g.inclusionProb;
      for (let j = 0; j < BET_SIZES.length; j++) logW[j] += n * factor[id][j];
    }
    const inChain = chain && i <= startIndex!;
    if (hits === 0) {
      if (inChain) chain = false; // nothing judged at the start: the sequence stops there
      continue;
    }
    let passes = false;
    if (inChain) {
      passes = logMeanExp(logW.map((x, j) => (BET_SIZES[j] <= piMin ? x : -Infinity))) >= logLevel;
      if (!passes) chain = false;
    }
    const snapshot = bounds || i === startIndex;
    const p = {
      index: i,
      threshold: grid[i],
      hits,
      falseHits,
      weightedRate: w > 0 ? wf / w : null,
      effectiveN: w2 > 0 ? (w * w) / w2 : 0,
      upper: NaN,
      piMin,
      groups: snapshot ? groups.map((g, id) => ({ ...g, count: cum[id] })).filter((g) => g.count > 0) : undefined,
    };
    points.push(p);
    if (passes) passed = p;
  }
  // without `bounds` (simulations) no bound is computed, not even the certified one's (NaN)
  for (const p of points) if (p.groups && bounds) p.upper = anytimeUpperBound(p.groups, alpha);
  const curve = toCurve(points);
  const start = startIndex === null ? null : grid[startIndex];
  const base = { target, alpha, judged, start, floor, curve };
  if (passed) {
    // without a population the judged lookups stand for it (share of those at or above the floor)
    const pop = o.population;
    const total = pop ? pop.reduce((a, p) => a + p.count, 0) : points[points.length - 1].hits;
    const served = pop ? pop.reduce((a, p) => a + (p.similarity >= passed!.threshold ? p.count : 0), 0) : passed.hits;
    const recommended: Recommendation = {
      threshold: passed.threshold,
      hitShare: total ? served / total : 0,
      falseHitUpper: passed.upper,
      hits: passed.hits,
      falseHits: passed.falseHits,
      weightedRate: passed.weightedRate,
    };
    return { ...base, recommended, needed: null };
  }
  return {
    ...base,
    recommended: null,
    needed: explainShortfall(points, startIndex, grid, o.sampledSimilarities.length, target, alpha, bounds),
  };
}

/** Index of the grid bin [grid[i], grid[i+1]) holding s; -1 below the grid. */
function binOf(grid: number[], s: number): number {
  let lo = 0;
  let hi = grid.length - 1;
  if (!(s >= grid[0])) return -1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (grid[mid] <= s) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
