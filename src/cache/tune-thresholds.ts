import type { Db } from '../db/db.js';
import { analyseFalseHits, createFalseHitEvidence, DEFAULT_GRID, type ThresholdAnalysis } from './false-hit-curve.js';
import { loadSummarisedJudgedCache } from './cache-verdict-summary.js';
import { aggregateJudgedCache } from './judged-cache-cells.js';
import { loadHitVolumes, loadLookupPopulation } from './judged-lookups.js';
import { loadStartSamples } from './start-samples.js';
import { poolFalseHitRuns, type PooledFalseHits } from './pool-false-hits.js';

/** The per-class certifications, the analysis of the requested scope, and the pooled estimate. */
export interface ThresholdTuning {
  scope: string;
  /** The class asked for (or the only class); with several classes an empty analysis: certification is per class. */
  analysis: ThresholdAnalysis;
  perClass: Record<string, ThresholdAnalysis>;
  pooled: PooledFalseHits;
}

/**
 * Loads the judged cache lookups (aggregated in SQL into grid cells and hit runs, through the
 * summary of migration 014 on the default grid), the population
 * and the start samples, and certifies each task class.
 */
export async function tuneCacheThresholds(
  db: Db,
  o: { target: number; alpha?: number; taskType?: string; grid?: number[] },
): Promise<ThresholdTuning> {
  const grid = [...(o.grid ?? DEFAULT_GRID)].sort((a, b) => a - b);
  // the summary is kept for the default grid; another grid aggregates every judged sample
  const judged =
    o.grid === undefined
      ? await loadSummarisedJudgedCache(db, grid, o.taskType)
      : await aggregateJudgedCache(db, grid, { after: 0, upTo: null }, o.taskType);
  const population = await loadLookupPopulation(db, o.taskType);
  const starts = await loadStartSamples(db, o.taskType);
  const classes = [...new Set([...judged.cells.keys(), ...population.keys()])].sort();
  const perClass: Record<string, ThresholdAnalysis> = {};
  let judgedAll = 0;
  for (const c of classes) {
    const evidence = createFalseHitEvidence(grid);
    for (const cell of judged.cells.get(c) ?? []) {
      evidence.addCell(cell);
      judgedAll += cell.count;
    }
    perClass[c] = evidence.analyse({
      target: o.target,
      alpha: o.alpha,
      population: population.get(c) ?? [],
      sampledSimilarities: starts.get(c) ?? [],
    });
  }
  const pooled = poolFalseHitRuns(judged.hitRuns, await loadHitVolumes(db, o.taskType));
  const only = o.taskType ?? (classes.length === 1 ? classes[0] : undefined);
  const analysis =
    only !== undefined
      ? (perClass[only] ?? analyseFalseHits([], { target: o.target, alpha: o.alpha, grid: o.grid }))
      : perClassOnly(o.target, o.alpha ?? 0.05, judgedAll);
  return { scope: only ?? 'all classes', analysis, perClass, pooled };
}

/** The all-classes scope: no pooled certification (classes differ in traffic and sampling rates). */
function perClassOnly(target: number, alpha: number, judged: number): ThresholdAnalysis {
  return {
    target,
    alpha,
    judged,
    start: null,
    floor: null,
    curve: [],
    recommended: null,
    needed: {
      reason:
        'not certified: thresholds are certified per task class (see each class); a pooled figure is only a traffic-weighted estimate',
      startThreshold: null,
      judgedAtStart: 0,
      falseHitsAtStart: 0,
      judgedNeeded: null,
      more: null,
    },
  };
}
