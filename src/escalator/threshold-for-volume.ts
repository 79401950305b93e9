import { boostedThreshold, recommendedThreshold } from './calibrate-threshold.js';
import { judgeScale, type EscalationPolicy, type JudgeRates } from './escalation-policy.js';

const cache = new Map<string, number>();

/**
 * Exact H for a class's base judged volume per day (the sampler's base design, before boost and
 * burst) under the policy's false-alarm budget, on the judge's scale. With `policy.boost` the budget
 * is met in days with the boost running (boostedThreshold), so G1 and G2 hold by design rather than
 * by H drifting up with a boost-inflated volume. Memoised per (m, budget, judge rates, boost, volume).
 */
export function thresholdForVolume(
  judgedPerDay: number,
  m: number,
  policy: EscalationPolicy,
  judge: JudgeRates,
): number {
  const n = Math.max(1, Math.round(judgedPerDay));
  const constraints = policy.falseAlarmBudget.map(([p, days]) => [judgeScale(p, judge), days] as const);
  const boost = policy.boost && policy.boost.factor > 1 ? policy.boost : undefined;
  const key = `${m}|${constraints.map((c) => c.join(':')).join(',')}|${boost ? `${boost.factor}:${boost.kappa}` : '-'}|${n}`;
  let H = cache.get(key);
  if (H === undefined) {
    H = boost ? boostedThreshold(n, { m, constraints }, boost) : recommendedThreshold(n, { m, constraints });
    cache.set(key, H);
  }
  return H;
}

/** True when H must be recalibrated: no H yet, or the volume moved by more than the tolerance. */
export function volumeMoved(previous: number | null, current: number, tolerance: number): boolean {
  if (previous === null || previous <= 0) return true;
  return Math.abs(current - previous) / previous > tolerance;
}
