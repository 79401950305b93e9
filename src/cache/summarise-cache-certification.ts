import type { CacheClassReport, CacheReport } from '../reports/report-summary.js';
import { renderRecommendation } from './render-false-hit-table.js';
import type { ThresholdTuning } from './tune-thresholds.js';

/** The cache thresholds in force (driftwatch.yaml cache.threshold and cache.thresholds). */
export interface CacheThresholds {
  threshold: number;
  thresholds: Record<string, number>;
}

/**
 * The report's per-class certification rows and the pooled estimate from a tuning. A class's current
 * threshold counts as certified only when it lies between the certified threshold and the start of
 * the step-down (every grid step there passed the same fixed-sequence test).
 */
export function summariseCacheCertification(
  t: ThresholdTuning,
  cache: CacheThresholds,
): Pick<CacheReport, 'perClass' | 'pooled'> {
  const byClass = new Map(t.pooled.classes.map((c) => [c.taskType, c]));
  const perClass: CacheClassReport[] = Object.entries(t.perClass).map(([taskType, a]) => {
    const current = cache.thresholds[taskType] ?? cache.threshold;
    const r = a.recommended;
    const p = byClass.get(taskType);
    return {
      taskType,
      currentThreshold: current,
      hitVolume: p?.hitVolume ?? 0,
      judgedHits: p?.judgedHits ?? 0,
      weightedRate: p?.weightedRate ?? null,
      certifiedThreshold: r?.threshold ?? null,
      falseHitUpper: r?.falseHitUpper ?? null,
      hitShare: r?.hitShare ?? null,
      currentCertified: r !== null && a.start !== null && current >= r.threshold - 1e-9 && current <= a.start + 1e-9,
      status: renderRecommendation(a),
      curve: a.curve
        .filter((q) => q.hits > 0)
        .map((q) => ({ threshold: q.threshold, hits: q.hits, weightedRate: q.weightedRate, upper: q.upper })),
    };
  });
  const { weighting, certified, estimate, unjudgedHitVolume } = t.pooled;
  return { perClass, pooled: { weighting, certified, estimate, unjudgedHitVolume } };
}
