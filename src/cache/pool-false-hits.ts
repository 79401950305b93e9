import type { JudgedHitRun } from './judged-cache-cells.js';
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
  const runs = new Map<string, JudgedHitRun[]>();
  for (const j of judged.filter((x) => x.reason === 'hit')) {
    const list = runs.get(j.taskType) ?? [];
    list.push({ inclusionProb: j.inclusionProb ?? 1, falseHit: j.falseHit, count: 1 });
    runs.set(j.taskType, list);
  }
  return poolFalseHitRuns(runs, hitVolumes);
}

/** The same estimate from each class's judged hits as runs in draw order (as the database aggregates them). */
export function poolFalseHitRuns(
  hitRuns: Map<string, JudgedHitRun[]>,
  hitVolumes: Map<string, number>,
): PooledFalseHits {
  const names = [...new Set([...hitVolumes.keys(), ...hitRuns.keys()])].sort();
  const classes = names.map((taskType) => {
    const runs = hitRuns.get(taskType) ?? [];
    return {
      taskType,
      hitVolume: hitVolumes.get(taskType) ?? 0,
      judgedHits: runs.reduce((a, r) => a + r.count, 0),
      weightedRate: weightedRateOfRuns(runs),
    };
  });
  const counted = classes.filter((c) => c.weightedRate !== null && c.hitVolume > 0);
  const volume = counted.reduce((a, c) => a + c.hitVolume, 0);
  const estimate = volume > 0 ? counted.reduce((a, c) => a + c.hitVolume * c.weightedRate!, 0) / volume : null;
  const unjudgedHitVolume = classes.filter((c) => c.weightedRate === null).reduce((a, c) => a + c.hitVolume, 0);
  return { weighting: 'hit-volume', certified: false, estimate, unjudgedHitVolume, classes };
}

/**
 * weightedRate over the hits one by one, in draw order: the weights are summed per lookup as before
 * (a run's n * 1/pi in one step would round differently), so the figure is the same to the last bit.
 */
function weightedRateOfRuns(runs: JudgedHitRun[]): number | null {
  let w = 0;
  let wf = 0;
  for (const r of runs) {
    const wi = 1 / r.inclusionProb;
    for (let k = 0; k < r.count; k++) {
      w += wi;
      if (r.falseHit) wf += wi;
    }
  }
  return w > 0 ? wf / w : null;
}
