import type { BoostDesign } from './calibrate-threshold.js';
import type { RestartDesign } from './schedule-threshold.js';

/**
 * A precomputed table of H (schedule-threshold-table.ts, made by scripts/build-threshold-table.ts):
 * for one design (CUSUM weight m, false-alarm budget on the judge's scale, boost, restart), per acting
 * schedule key ('nightly', 'daemon:<interval ms>'), H at THRESHOLD_GRID[i] for every grid point up to
 * maxVolume judged a day.
 */
export interface ThresholdTable {
  design: {
    m: number;
    constraints: ReadonlyArray<readonly [rate: number, days: number]>;
    boost: BoostDesign;
    restart: RestartDesign;
  };
  maxVolume: number;
  H: Readonly<Record<string, readonly number[]>>;
}
