import { weightedRate } from './false-hit-evidence.js';
import type { ClassedJudgedLookup } from './judged-lookups.js';

/** One class's share of the pooled figure. */
export interface PooledClass {
  taskType: string;
  hitVolume: number;
  judgedHits: number;
  /** Inclusion-weighted false-hit rate of the class's judged hits; null with none judged. */
  weightedRate: number | null;
}

/**
 * All classes' false-hit rate among served hits, each class weighted by its hit volume: an
 * estimate of the share of served answers that are wrong, never a certification (the
 * certification is per class). Null when no class with hits has a judged hit.
 */
export interface PooledFalseHits {
  weighting: 'hit-volume';
  certified: false;
  estimate: number | null;
  /** Hits of classes without a judged hit, left out of the estimate (named in `classes`). */
  unjudgedHitVolume: number;
  classes: PooledClass[];
}

/** Traffic-weighted pooled false-hit estimate over classes (judged hits = samples of reason 'hit'). */
export function poolFalseHits(judged: ClassedJudgedLookup[], hitVolumes: Map<string, number>): PooledFalseHits {
  const names = [
    ...new Set([...hitVolumes.keys(), ...judged.filter((j) => j.reason === 'hit').map((j) => j.taskType)]),
  ].sort();
  const classes = names.map((taskType) => {
    const hits = judged.filter((j) => j.taskType === taskType && j.reason === 'hit');
    const groups = hits.map((j) => ({ inclusionProb: j.inclusionProb ?? 1, falseHit: j.falseHit, count: 1 }));
    return {
      taskType,
      hitVolume: hitVolumes.get(taskType) ?? 0,
      judgedHits: hits.length,
      weightedRate: weightedRate(groups).rate,
    };
  });
  const counted = classes.filter((c) => c.weightedRate !== null && c.hitVolume > 0);
  const volume = counted.reduce((a, c) => a + c.hitVolume, 0);
  const estimate = volume > 0 ? counted.reduce((a, c) => a + c.hitVolume * c.weightedRate!, 0) / volume : null;
  const unjudgedHitVolume = classes.filter((c) => c.weightedRate === null).reduce((a, c) => a + c.hitVolume, 0);
  return { weighting: 'hit-volume', certified: false, estimate, unjudgedHitVolume, classes };
}
