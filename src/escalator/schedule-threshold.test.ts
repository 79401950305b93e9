import { describe, expect, it } from 'vitest';
import { boostedArlDays, boostedThreshold } from './calibrate-threshold.js';
import { DEFAULT_POLICY } from './escalation-policy.js';
import { restartArlDays, scheduledThreshold, type ActingSchedule } from './schedule-threshold.js';
import { seededRandom } from '../stats/seeded-random.js';
import { thresholdForVolume } from './threshold-for-volume.js';

const targets = {
  m: 32,
  constraints: [
    [0.015, 365],
    [0.02, 90],
  ] as const,
};
const boost = { factor: 4, kappa: 0.2 };
const restart = { fraction: 0.25, burstFactor: 5, burstMs: 48 * 3_600_000 };
const NIGHTLY: ActingSchedule = { mode: 'nightly' };
const DAEMON: ActingSchedule = { mode: 'daemon', intervalMs: 300_000 };

/** Brute force of the nightly rules restartArlDays models: per-night boost from S, top-up of a crossing day, restart + burst. */
function simulateNightlyRestart(p: number, m: number, H: number, n: number, reps: number, seed: number): number {
  const rand = seededRandom(seed);
  const e = Math.ceil(boost.kappa * H);
  let total = 0;
  for (let r = 0; r < reps; r++) {
    let S = Math.floor(restart.fraction * H);
    let topUp = false;
    for (let day = 1; ; day++) {
      const burst = day <= 2;
      const startLow = S < e;
      const count = burst
        ? restart.burstFactor * n
        : topUp
          ? (2 * boost.factor - 1) * n
          : startLow
            ? n
            : boost.factor * n;
      let alarmed = false;
      for (let i = 0; i < count && !alarmed; i++) {
        S = Math.max(0, S + (rand() < p ? m : -1));
        alarmed = S >= H;
      }
      if (alarmed) {
        total += day;
        break;
      }
      topUp = !burst && !topUp && startLow && S >= e;
    }
  }
  return total / reps;
}

describe('H calibrated for the acting schedule and the post-change restart (issue 11, G1/G2 by design)', () => {
  it('the nightly day-step chain matches a brute-force run of the nightly rules', () => {
    // small design so the Monte Carlo is quick: H = 60, n = 20/day, p = 3%
    const exact = restartArlDays(0.03, 32, 60, 20, boost, NIGHTLY, restart);
    const sim = simulateNightlyRestart(0.03, 32, 60, 20, 4000, 7);
    expect(Math.abs(sim - exact) / exact).toBeLessThan(0.05);
  });

  it('nightly at 100/day needs H = 200: the verdict-step H (179) gives ~50 d from a restart at 2%, i.e. G2 ~ 0.6 per 30 d', () => {
    const h = boostedThreshold(100, targets, boost);
    expect(h).toBe(179);
    expect(restartArlDays(0.02, 32, h, 100, boost, NIGHTLY, restart)).toBeLessThan(60);
    const H = scheduledThreshold(100, targets, boost, NIGHTLY, restart);
    expect(H).toBe(200);
    expect(restartArlDays(0.02, 32, H, 100, boost, NIGHTLY, restart)).toBeGreaterThanOrEqual(90);
    expect(restartArlDays(0.015, 32, H, 100, boost, NIGHTLY, restart)).toBeGreaterThanOrEqual(365);
    expect(restartArlDays(0.02, 32, H - 1, 100, boost, NIGHTLY, restart)).toBeLessThan(90); // the smallest such H
  });

  it('under the 90-day budget the 5-minute daemon needs H = 183 at 100/day: the restart and burst cost the verdict-step H (179) ~7% of its ARL at 2%', () => {
    expect(restartArlDays(0.02, 32, 179, 100, boost, DAEMON, restart)).toBeLessThan(85);
    expect(boostedArlDays(0.02, 32, 179, 100, boost)).toBeGreaterThanOrEqual(90);
    const H = scheduledThreshold(100, targets, boost, DAEMON, restart);
    expect(H).toBe(183);
    expect(restartArlDays(0.02, 32, H, 100, boost, DAEMON, restart)).toBeGreaterThanOrEqual(90);
  });

  it('the restart ARL is below the zero-state ARL (head start and burst only shorten it), so the budget from S = 0 holds too', () => {
    for (const [schedule, H] of [
      [NIGHTLY, 200],
      [DAEMON, 183],
    ] as const) {
      expect(restartArlDays(0.02, 32, H, 100, boost, schedule, restart)).toBeLessThan(
        restartArlDays(0.02, 32, H, 100, boost, schedule, { fraction: 0, burstFactor: 1, burstMs: 0 }),
      );
    }
  });

  it('thresholdForVolume follows policy.acting (nightly by default, the daemon by its interval and its own budget)', () => {
    const judge = { fp: 0, fn: 0 };
    expect(thresholdForVolume(100, 32, DEFAULT_POLICY, judge)).toBe(200);
    // the daemon's budget has the 2% margin (100 d, not the 90 d that give 183 above)
    expect(thresholdForVolume(100, 32, { ...DEFAULT_POLICY, acting: DAEMON }, judge)).toBe(186);
    const margin = { m: 32, constraints: DEFAULT_POLICY.daemonFalseAlarmBudget! };
    expect(restartArlDays(0.02, 32, 186, 100, boost, DAEMON, restart)).toBeGreaterThanOrEqual(100);
    expect(scheduledThreshold(100, margin, boost, DAEMON, restart)).toBe(186);
    // an hourly daemon at 500/day judges ~21 verdicts a cycle: the cycle chain, between the two
    const hourly = thresholdForVolume(
      500,
      32,
      { ...DEFAULT_POLICY, acting: { mode: 'daemon', intervalMs: 3_600_000 } },
      judge,
    );
    expect(hourly).toBeGreaterThan(thresholdForVolume(500, 32, { ...DEFAULT_POLICY, acting: DAEMON }, judge));
    expect(hourly).toBeLessThan(thresholdForVolume(500, 32, DEFAULT_POLICY, judge));
  }, 120_000);
});
