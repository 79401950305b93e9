import { describe, expect, it } from 'vitest';
import { allocateSample, expectedDailyVolume, stratumBaseRate } from '../../sampler/allocate-sample.js';
import { computeBoost } from '../../sampler/sample-boost.js';
import { decideEscalations } from '../decide-escalations.js';
import { DEFAULT_POLICY, PERFECT_JUDGE } from '../escalation-policy.js';
import { markApplied } from '../reconcile-state.js';
import { seededRandom } from '../../stats/seeded-random.js';
import { restartArlDays } from '../schedule-threshold.js';
import { thresholdForVolume } from '../threshold-for-volume.js';
import { LIVE_PATH, runLiveClass, type LiveRunSpec } from './live-class-run.js';
import { actingPolicy, eventRate, liveDelay, requestsForJudged, type LiveOptions } from './simulate-live.js';

const sampler = { floorPerDay: 100, sqrtFactor: 2.2 };
const spec = (over: Partial<LiveRunSpec> = {}): LiveRunSpec => ({
  mode: 'nightly',
  intervalMs: 300_000,
  requestsPerDay: requestsForJudged(100, sampler),
  days: 120,
  cheapRate: () => 0.02,
  premiumRate: 0.005,
  judge: { fp: 0, fn: 0 },
  judgeRates: PERFECT_JUDGE,
  policy: DEFAULT_POLICY,
  sampler,
  ...over,
});
const live = (over: Partial<LiveOptions> = {}): LiveOptions => ({
  seed: 20250601,
  quick: true,
  intervalMs: 300_000,
  policy: DEFAULT_POLICY,
  sampler,
  judge: { fp: 0, fn: 0 },
  review: { flags: 50, passes: 200 },
  ...over,
});

describe('runLiveClass calls the live path', () => {
  it('uses the production sampler, boost, decide and apply functions', () => {
    expect(LIVE_PATH.computeBoost).toBe(computeBoost);
    expect(LIVE_PATH.allocateSample).toBe(allocateSample);
    expect(LIVE_PATH.stratumBaseRate).toBe(stratumBaseRate);
    expect(LIVE_PATH.expectedDailyVolume).toBe(expectedDailyVolume);
    expect(LIVE_PATH.decideEscalations).toBe(decideEscalations);
    expect(LIVE_PATH.markApplied).toBe(markApplied);
  });

  it('follows a change of the boost function: no boost means fewer judge calls and different figures', () => {
    const withBoost = runLiveClass(spec(), seededRandom(5));
    const noBoost = runLiveClass(spec(), seededRandom(5), {
      ...LIVE_PATH,
      computeBoost: (classes) => Object.fromEntries(classes.map((c) => [c, 1])),
    });
    // the base allocation is 100 a day; the live boost (4x while S >= 0.2 H, 5x after a routing change) adds to it
    expect(noBoost.judged / 120).toBeLessThan(115);
    expect(withBoost.judged).toBeGreaterThan(noBoost.judged * 1.2);
  });

  it('follows the policy through decideEscalations: no escalation before minSamples, and the sampler allocation sets the base volume', () => {
    const never = runLiveClass(
      spec({ days: 30, cheapRate: () => 0.2, policy: { ...DEFAULT_POLICY, minSamples: 1e9 } }),
      seededRandom(1),
    );
    expect(never.escalations).toEqual([]);
    const soon = runLiveClass(spec({ days: 30, cheapRate: () => 0.2 }), seededRandom(1));
    expect(soon.escalations.length).toBeGreaterThan(0);
    expect(soon.baseJudgedPerDay).toBeCloseTo(100, 0);
    expect(runLiveClass(spec({ days: 5, requestsPerDay: 40_000 }), seededRandom(1)).baseJudgedPerDay).toBeCloseTo(
      2.2 * Math.sqrt(40_000),
      0,
    );
  });

  it('is deterministic for a seed', () => {
    expect(runLiveClass(spec({ days: 40 }), seededRandom(9))).toEqual(
      runLiveClass(spec({ days: 40 }), seededRandom(9)),
    );
  });
});

describe('live detection delay', () => {
  it('daemon mode meets G3 at 100 judged/day: 1% -> 6% applied within 1.7 d on average, p90 <= 3 d; nightly is slower', () => {
    const six = liveDelay(100, 'daemon', live(), 0.06, 40, 11);
    expect(six.replicates).toBe(40);
    expect(six.censored).toBe(0);
    expect(six.mean).toBeLessThanOrEqual(1.7);
    expect(six.p90).toBeLessThanOrEqual(3);
    const nightly = liveDelay(100, 'nightly', live(), 0.06, 40, 11);
    expect(nightly.mean).toBeGreaterThan(six.mean);
    expect(nightly.mean).toBeGreaterThanOrEqual(1); // a nightly decision waits for the night
  }, 600_000);
});

describe('live false escalations', () => {
  it('G1 nightly at 100 judged/day with boost and burst on: the 95% upper bound on false escalations per 30 days at 1.5% is under 0.082', () => {
    const r = runLiveClass(spec({ days: 6008, cheapRate: () => 0.015 }), seededRandom(15));
    const counted = r.escalations.filter((t) => t >= 8);
    const escalated = r.escalations.reduce((a, t, i) => a + ((r.deescalations[i] ?? r.daysRun) - t), 0);
    const rate = eventRate(counted.length, 6000 - escalated);
    expect(r.deescalations.length).toBeGreaterThan(0); // the full cycle ran: escalate, shadow, de-escalate with burst and head start
    expect(rate.upper).toBeLessThanOrEqual(0.082);
  }, 600_000);
});

describe('live false escalations at 2% (G2 by design: H calibrated for the nightly schedule and the restart)', () => {
  it('G2 nightly at 100 judged/day: the measured rate agrees with the design 30 / restartArlDays <= 0.33, far under the 0.54 of the verdict-step H', () => {
    const r = runLiveClass(spec({ days: 12_008, cheapRate: () => 0.02 }), seededRandom(16));
    const counted = r.escalations.filter((t) => t >= 8);
    const escalated = r.escalations.reduce((a, t, i) => a + ((r.deescalations[i] ?? r.daysRun) - Math.max(t, 8)), 0);
    const rate = eventRate(counted.length, 12_000 - escalated);
    const design =
      30 /
      restartArlDays(
        0.02,
        32,
        thresholdForVolume(100, 32, DEFAULT_POLICY, PERFECT_JUDGE),
        100,
        DEFAULT_POLICY.boost!,
        { mode: 'nightly' },
        { fraction: 0.25, burstFactor: 5, burstMs: 48 * 3_600_000 },
      );
    expect(design).toBeLessThanOrEqual(1 / 3);
    expect(rate.lower).toBeLessThanOrEqual(design); // no more false escalations than the chain allows
    expect(rate.upper).toBeLessThan(0.45); // H = 179 (verdict-step chain) gave 0.544 [0.501, 0.590]
  }, 600_000);
});

describe('live false escalations at 2% in the 5-minute daemon (G2 by design: H never below the calibration at the measured volume)', () => {
  const daemon = (over: Partial<LiveRunSpec> = {}) =>
    spec({ mode: 'daemon', policy: actingPolicy({ policy: DEFAULT_POLICY, intervalMs: 300_000 }, 'daemon'), ...over });

  it('every decision uses an H at least the calibration at the volume it measured (a 30% tolerance let H lag the rising first-day volume)', () => {
    let decisions = 0;
    runLiveClass(daemon({ days: 30 }), seededRandom(3), {
      ...LIVE_PATH,
      decideEscalations: (input) => {
        const [d] = LIVE_PATH.decideEscalations(input);
        const c = input.classes[0];
        expect(d.state.H).toBeGreaterThanOrEqual(thresholdForVolume(c.judgedPerDay, 32, input.policy, PERFECT_JUDGE));
        decisions++;
        return [d];
      },
    });
    expect(decisions).toBeGreaterThan(1000);
  });

  it('G2 daemon at 100 judged/day over 20 deployments (each starts from an empty volume window): under 0.33 false escalations per 30 days at risk', () => {
    // each chain's H was a lottery of its first day under the 30% tolerance (175-189 for 183); now it is H(112) or above
    let events = 0;
    let atRisk = 0;
    for (let k = 0; k < 20; k++) {
      const r = runLiveClass(daemon({ days: 308, cheapRate: () => 0.02 }), seededRandom(1700 + k));
      events += r.escalations.filter((t) => t >= 8).length;
      atRisk += 300 - r.escalations.reduce((a, t, i) => a + ((r.deescalations[i] ?? r.daysRun) - Math.max(t, 8)), 0);
    }
    const rate = eventRate(events, atRisk);
    expect(events).toBeGreaterThan(20);
    expect(rate.per30d).toBeLessThanOrEqual(1 / 3);
  }, 900_000);
});
