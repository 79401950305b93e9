import { recommendedThreshold, type BoostDesign } from './calibrate-threshold.js';
import { CHANGE_BURST, CHANGE_BURST_MS } from '../sampler/sample-boost.js';
import { NIGHTLY, scheduledThreshold, scheduleKey, type RestartDesign } from './schedule-threshold.js';
import { falseAlarmBudgetFor, judgeScale, type EscalationPolicy, type JudgeRates } from './escalation-policy.js';
import { gridVolumeUp, THRESHOLD_GRID } from './threshold-grid.js';
import { THRESHOLD_TABLE } from './schedule-threshold-table.js';
import type { ScheduleDesign, ThresholdTable } from './threshold-table-types.js';

const cache = new Map<string, number>();

/**
 * H for a class's base judged volume per day (the sampler's base design, before boost and burst)
 * under the policy's false-alarm budget for its acting schedule (falseAlarmBudgetFor: the daemon's
 * has a margin at 2%), on the judge's scale. The volume is first rounded up to the
 * next THRESHOLD_GRID point (conservative: H grows with the volume). With `policy.boost` the budget is
 * met in days with the boost as `policy.acting` applies it (per night, or per daemon cycle) and from
 * the restart a routing change leaves (scheduledThreshold), so G1 and G2 hold by design in the
 * schedule the policy acts on. The default design (perfect judge, default budget, boost and restart;
 * nightly or the 5-minute daemon; up to the table's maxVolume) is looked up in THRESHOLD_TABLE; any
 * other design, schedule or volume is computed on the fly (seconds) and memoised per grid point.
 */
export function thresholdForVolume(
  judgedPerDay: number,
  m: number,
  policy: EscalationPolicy,
  judge: JudgeRates,
  table: ThresholdTable = THRESHOLD_TABLE,
): number {
  const n = gridVolumeUp(judgedPerDay);
  const acting = policy.acting ?? NIGHTLY;
  const budget = falseAlarmBudgetFor(policy, acting);
  const constraints = budget.map(([p, days]) => [judgeScale(p, judge), days] as const);
  const boost = policy.boost && policy.boost.factor > 1 ? policy.boost : undefined;
  if (!boost) return memo(`${m}|${constraints.join(',')}|-|${n}`, () => recommendedThreshold(n, { m, constraints }));
  const restart: RestartDesign = {
    fraction: policy.deescalation.restartFraction,
    burstFactor: CHANGE_BURST,
    burstMs: CHANGE_BURST_MS,
  };
  const schedule = scheduleKey(acting);
  const tabled = tableLookup(table, n, schedule, { m, constraints, boost, restart });
  if (tabled !== undefined) return tabled;
  const key = `${m}|${constraints.join(',')}|${boost.factor}:${boost.kappa}:${schedule}:${restart.fraction}|${n}`;
  return memo(key, () => scheduledThreshold(n, { m, constraints }, boost, acting, restart));
}

/** The table's H at grid volume n for this schedule, when the table was made for exactly this design and budget. */
export function tableLookup(
  table: ThresholdTable,
  n: number,
  schedule: string,
  design: ScheduleDesign,
): number | undefined {
  const column = table.H[schedule];
  const budget = table.budgets[schedule];
  if (!column || !budget || n > table.maxVolume) return undefined;
  if (!sameDesign({ ...table.design, constraints: budget }, design)) return undefined;
  const i = THRESHOLD_GRID.indexOf(n);
  return i >= 0 && i < column.length ? column[i] : undefined;
}

function sameDesign(a: ScheduleDesign, b: ScheduleDesign): boolean {
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(x));
  const sameBoost = (x: BoostDesign, y: BoostDesign) => close(x.factor, y.factor) && close(x.kappa, y.kappa);
  return (
    a.m === b.m &&
    a.constraints.length === b.constraints.length &&
    a.constraints.every(([p, d], i) => close(p, b.constraints[i][0]) && close(d, b.constraints[i][1])) &&
    sameBoost(a.boost, b.boost) &&
    close(a.restart.fraction, b.restart.fraction) &&
    close(a.restart.burstFactor, b.restart.burstFactor) &&
    close(a.restart.burstMs, b.restart.burstMs)
  );
}

function memo(key: string, compute: () => number): number {
  let H = cache.get(key);
  if (H === undefined) {
    H = compute();
    cache.set(key, H);
  }
  return H;
}

/**
 * True when H must be recalibrated: no H yet; the volume rose into a higher grid cell than the one H
 * was made for (always: an H below the calibration at the current volume would spend the false-alarm
 * budget faster than designed); or it fell by more than the tolerance (a lower H then detects faster;
 * within the tolerance the higher H is kept, which is only conservative).
 */
export function volumeMoved(previous: number | null, current: number, tolerance: number): boolean {
  if (previous === null || previous <= 0) return true;
  if (gridVolumeUp(current) > gridVolumeUp(previous)) return true;
  return (previous - current) / previous > tolerance;
}
