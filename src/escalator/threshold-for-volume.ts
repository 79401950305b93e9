import { recommendedThreshold } from './calibrate-threshold.js';
import { judgeScale, type EscalationPolicy, type JudgeRates } from './escalation-policy.js';

const cache = new Map<string, number>();

/**
 * Exact H for a daily judged volume under the policy's false-alarm budget, on the judge's scale.
 * Results are memoised per (m, budget, judge rates, volume).
 */
export function thresholdForVolume(judgedPerDay: number, m: number, policy: EscalationPolicy, judge: JudgeRates): number {
  const n = Math.max(1, Math.round(judgedPerDay));
  const constraints = policy.falseAlarmBudget.map(([p, days]) => [judgeScale(p, judge), days] as const);
  const key = `${m}|${constraints.map((c) => c.join(':')).join(',')}|${n}`;
  let H = cache.get(key);
  if (H === undefined) {
    H = recommendedThreshold(n, { m, constraints });
    cache.set(key, H);
  }
  return H;
}

/** True when H must be recalibrated: no H yet, or the volume moved by more than the tolerance. */
export function volumeMoved(previous: number | null, current: number, tolerance: number): boolean {
  if (previous === null || previous <= 0) return true;
  return Math.abs(current - previous) / previous > tolerance;
}
