import type { Db } from '../db/db.js';
import { analyseFalseHits, type ThresholdAnalysis } from './false-hit-curve.js';
import { loadJudgedLookups, loadLookupPopulation } from './judged-lookups.js';

/** The analysis for the requested scope (one class, or all classes pooled) and for each class. */
export interface ThresholdTuning {
  scope: string;
  analysis: ThresholdAnalysis;
  perClass: Record<string, ThresholdAnalysis>;
}

/** Loads judged cache lookups and runs the fixed-sequence analysis pooled and per task class. */
export async function tuneCacheThresholds(db: Db, o: { target: number; taskType?: string; grid?: number[] }): Promise<ThresholdTuning> {
  const judged = await loadJudgedLookups(db, o.taskType);
  const population = await loadLookupPopulation(db, o.taskType);
  const classes = [...new Set([...judged.map((j) => j.taskType), ...population.keys()])].sort();
  const perClass: Record<string, ThresholdAnalysis> = {};
  for (const c of classes) {
    perClass[c] = analyseFalseHits(judged.filter((j) => j.taskType === c), { target: o.target, grid: o.grid, population: population.get(c) ?? [] });
  }
  const pooledPopulation = [...population.values()].flat();
  const analysis = o.taskType ? (perClass[o.taskType] ?? analyseFalseHits([], { target: o.target, grid: o.grid })) : analyseFalseHits(judged, { target: o.target, grid: o.grid, population: pooledPopulation });
  return { scope: o.taskType ?? 'all classes', analysis, perClass };
}
