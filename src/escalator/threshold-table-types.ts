import type { BoostDesign } from './calibrate-threshold.js';
import type { FalseAlarmBudget } from './escalation-policy.js';
import type { RestartDesign } from './schedule-threshold.js';

/** One schedule's calibration design: CUSUM weight m, budget (its rates on the judge's scale), boost, restart. */
export interface ScheduleDesign {
  m: number;
  constraints: FalseAlarmBudget;
  boost: BoostDesign;
  restart: RestartDesign;
}

/**
 * A precomputed table of H (schedule-threshold-table.ts, made by scripts/build-threshold-table.ts):
 * for one design (CUSUM weight m, boost, restart), per acting schedule key ('nightly',
 * 'daemon:<interval ms>'), the false-alarm budget that schedule was calibrated to and H at
 * THRESHOLD_GRID[i] for every grid point up to maxVolume judged a day.
 */
export interface ThresholdTable {
  design: Omit<ScheduleDesign, 'constraints'>;
  budgets: Readonly<Record<string, FalseAlarmBudget>>;
  maxVolume: number;
  H: Readonly<Record<string, readonly number[]>>;
}
