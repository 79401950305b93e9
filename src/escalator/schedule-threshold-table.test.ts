import { describe, expect, it } from 'vitest';
import { CHANGE_BURST, CHANGE_BURST_MS } from '../sampler/sample-boost.js';
import { DEFAULT_POLICY, falseAlarmBudgetFor, PERFECT_JUDGE } from './escalation-policy.js';
import { scheduledThreshold, scheduleKey, type ActingSchedule } from './schedule-threshold.js';
import { THRESHOLD_TABLE } from './schedule-threshold-table.js';
import { gridVolumeUp, THRESHOLD_GRID } from './threshold-grid.js';
import { tableLookup, thresholdForVolume, volumeMoved } from './threshold-for-volume.js';

const design = THRESHOLD_TABLE.design;
const NIGHTLY: ActingSchedule = { mode: 'nightly' };
const DAEMON: ActingSchedule = { mode: 'daemon', intervalMs: 300_000 };
const budgetOf = (schedule: ActingSchedule) => THRESHOLD_TABLE.budgets[scheduleKey(schedule)];
const exact = (n: number, schedule: ActingSchedule) =>
  scheduledThreshold(n, { m: design.m, constraints: budgetOf(schedule) }, design.boost, schedule, design.restart);
const tabled = (n: number, key: string) => THRESHOLD_TABLE.H[key][THRESHOLD_GRID.indexOf(gridVolumeUp(n))];

describe('THRESHOLD_TABLE (scripts/build-threshold-table.ts)', () => {
  it('was made for the default policy with a perfect judge, so thresholdForVolume looks the default design up', () => {
    expect(design).toEqual({
      m: 32,
      boost: DEFAULT_POLICY.boost,
      restart: {
        fraction: DEFAULT_POLICY.deescalation.restartFraction,
        burstFactor: CHANGE_BURST,
        burstMs: CHANGE_BURST_MS,
      },
    });
    expect(Object.keys(THRESHOLD_TABLE.H).sort()).toEqual(['daemon:300000', 'nightly']);
    expect(budgetOf(NIGHTLY)).toEqual(falseAlarmBudgetFor(DEFAULT_POLICY, NIGHTLY));
    expect(budgetOf(DAEMON)).toEqual(falseAlarmBudgetFor(DEFAULT_POLICY, DAEMON));
  });

  it("calibrates the daemon to its own budget, with the 2% margin (100 d, not nightly's 90 d)", () => {
    expect(budgetOf(NIGHTLY)).toEqual([
      [0.015, 365],
      [0.02, 90],
    ]);
    expect(budgetOf(DAEMON)).toEqual([
      [0.015, 365],
      [0.02, 100],
    ]);
  });

  it('covers the grid up to maxVolume in both schedules, nondecreasing in the volume', () => {
    const points = THRESHOLD_GRID.filter((n) => n <= THRESHOLD_TABLE.maxVolume).length;
    for (const column of Object.values(THRESHOLD_TABLE.H)) {
      expect(column.length).toBe(points);
      for (let i = 1; i < column.length; i++) expect(column[i]).toBeGreaterThanOrEqual(column[i - 1]);
    }
  });

  it('matches a fresh calibration at grid points (nightly 25 and 100, daemon 100 and 500)', () => {
    expect(tabled(25, 'nightly')).toBe(exact(25, NIGHTLY));
    expect(tabled(100, 'nightly')).toBe(exact(100, NIGHTLY));
    expect(tabled(100, 'daemon:300000')).toBe(exact(100, DAEMON));
    expect(tabled(500, 'daemon:300000')).toBe(exact(500, DAEMON));
  }, 600_000);

  it('is conservative inside a cell: the exact H at volumes between grid points is at most the H of the point above', () => {
    // 95 in (90, 100]; 440 in (400, 450], where the 5-minute daemon's cycle chain goes from 1 to 2 verdicts a cycle
    for (const n of [95, 440]) expect(exact(n, DAEMON)).toBeLessThanOrEqual(tabled(n, 'daemon:300000'));
    expect(exact(95, NIGHTLY)).toBeLessThanOrEqual(tabled(95, 'nightly'));
  }, 600_000);
});

describe('thresholdForVolume', () => {
  it('rounds the volume up to the grid and reads the table for the default design', () => {
    expect(thresholdForVolume(100, 32, DEFAULT_POLICY, PERFECT_JUDGE)).toBe(tabled(100, 'nightly'));
    expect(thresholdForVolume(100.4, 32, { ...DEFAULT_POLICY, acting: DAEMON }, PERFECT_JUDGE)).toBe(
      tabled(112, 'daemon:300000'),
    );
    // an empty table makes it compute the same value
    const none = { ...THRESHOLD_TABLE, H: {} };
    expect(thresholdForVolume(90, 32, { ...DEFAULT_POLICY, acting: DAEMON }, PERFECT_JUDGE, none)).toBe(
      tabled(90, 'daemon:300000'),
    );
  }, 600_000);

  it('computes other designs on the fly: another judge, or a volume above the table', () => {
    const judge = { fp: 0.01, fn: 0.1 };
    const scaled = budgetOf(DAEMON).map(([p, d]) => [0.01 + 0.89 * p, d] as const);
    const nightly = { ...design, constraints: budgetOf(NIGHTLY) };
    expect(tableLookup(THRESHOLD_TABLE, 100, 'nightly', { ...nightly, m: 26, constraints: scaled })).toBeUndefined();
    expect(tableLookup(THRESHOLD_TABLE, THRESHOLD_TABLE.maxVolume + 1, 'nightly', nightly)).toBeUndefined();
    // a budget other than the schedule's own is not looked up (the nightly budget under the daemon key)
    expect(tableLookup(THRESHOLD_TABLE, 100, 'daemon:300000', nightly)).toBeUndefined();
    expect(tableLookup(THRESHOLD_TABLE, 100, 'nightly', nightly)).toBe(tabled(100, 'nightly'));
    const H = thresholdForVolume(100, 26, { ...DEFAULT_POLICY, acting: DAEMON }, judge);
    expect(H).toBe(scheduledThreshold(100, { m: 26, constraints: scaled }, design.boost, DAEMON, design.restart));
  }, 600_000);
});

describe('volumeMoved', () => {
  it('recalibrates whenever the volume rises into a higher grid cell, and on a fall only past the tolerance', () => {
    expect(volumeMoved(null, 100, 0.3)).toBe(true);
    expect(volumeMoved(80, 95, 0.3)).toBe(true); // 80 -> 100: H(80) would be below the calibration at 95
    expect(volumeMoved(95, 99, 0.3)).toBe(false); // same cell (90, 100]
    expect(volumeMoved(100, 80, 0.3)).toBe(false); // a fall within the tolerance keeps the higher H
    expect(volumeMoved(100, 65, 0.3)).toBe(true);
  });
});
