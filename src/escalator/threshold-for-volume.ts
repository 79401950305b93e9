import { recommendedThreshold } from './calibrate-threshold.js';
import { CHANGE_BURST, CHANGE_BURST_MS } from '../sampler/sample-boost.js';
import { NIGHTLY, scheduledThreshold, scheduleKey } from './schedule-threshold.js';
import { judgeScale, type EscalationPolicy, type JudgeRates } from './escalation-policy.js';

const cache = new Map<string, number>();

/**
 * Exact H for a class's base judged volume per day (the sampler's base design, before boost and
 * burst) under the policy's false-alarm budget, on the judge's scale. With `policy.boost` the budget
 * is met in days with the boost as `policy.acting` applies it (per night, or per daemon cycle) and from
 * the restart a routing change leaves (S0 = restartFraction x H, the 5x 48 h burst): scheduledThreshold.
 * So G1 and G2 hold by design in the schedule the policy acts on. Memoised per (m, budget, boost,
 * schedule, restart, volume).
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
  const acting = policy.acting ?? NIGHTLY;
  const restart = {
    fraction: policy.deescalation.restartFraction,
    burstFactor: CHANGE_BURST,
    burstMs: CHANGE_BURST_MS,
  };
  const schedule = scheduleKey(acting);
  const key = `${m}|${constraints.map((c) => c.join(':')).join(',')}|${boost ? `${boost.factor}:${boost.kappa}:${schedule}:${restart.fraction}` : '-'}|${n}`;
  let H = cache.get(key);
  if (H === undefined) {
    H = boost
      ? scheduledThreshold(n, { m, constraints }, boost, acting, restart)
      : recommendedThreshold(n, { m, constraints });
    cache.set(key, H);
  }
  return H;
}

/** True when H must be recalibrated: no H yet, or the volume moved by more than the tolerance. */
export function volumeMoved(previous: number | null, current: number, tolerance: number): boolean {
  if (previous === null || previous <= 0) return true;
  return Math.abs(current - previous) / previous > tolerance;
}
