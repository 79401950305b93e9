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

describe('live false escalations at 2% in the 5-minute daemon (G2 by design: H never below the calibration at the measured volume, the restart the chain assumes)', () => {
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

  it('restarts as the design chain assumes after each change it applies: S = floor(H/4), n = 0, the 5x burst for exactly 48 h, then the 4x boost only while S >= 0.2 H', () => {
    // one forced cycle: the cheap model fails 25% until the escalation is decided, then sits at 2%; the
    // de-escalation after the 7-day wait restarts the cheap model's CUSUM (what restartArlDays starts from)
    let force = true;
    const applied: { at: number; S: number; n: number; H: number; model: string }[] = [];
    const boosts: { at: number; boost: number; S: number; H: number }[] = [];
    const r = runLiveClass(daemon({ days: 12, cheapRate: () => (force ? 0.25 : 0.02) }), seededRandom(4), {
      ...LIVE_PATH,
      decideEscalations: (input) => {
        const [d] = LIVE_PATH.decideEscalations(input);
        if (d.decision === 'escalate') force = false;
        return [d];
      },
      markApplied: (...args) => {
        const s = LIVE_PATH.markApplied(...args);
        applied.push({ at: args[3].getTime(), S: s.S, n: s.n, H: s.H, model: s.model });
        return s;
      },
      computeBoost: (classes, cusum, lastChange, now) => {
        const out = LIVE_PATH.computeBoost(classes, cusum, lastChange, now);
        const c = cusum[classes[0]];
        if (c) boosts.push({ at: now.getTime(), boost: out[classes[0]], S: c.S, H: c.H });
        return out;
      },
    });
    expect(r.escalations).toHaveLength(1);
    expect(r.deescalations).toHaveLength(1);
    expect(r.deescalations[0] - r.escalations[0]).toBeCloseTo(7, 2);
    expect(applied.map((a) => a.model)).toEqual(['premium-model', 'cheap-model']);
    for (const a of applied) expect(a).toMatchObject({ S: Math.floor(a.H / 4), n: 0 });
    const off = applied[1].at;
    const inBurst = boosts.filter((b) => b.at > off && b.at - off < 48 * 3_600_000);
    const after = boosts.filter((b) => b.at - off >= 48 * 3_600_000);
    expect(inBurst.length).toBeGreaterThan(2 * 288);
    expect(inBurst.every((b) => b.boost === 5)).toBe(true);
    expect(after.length).toBeGreaterThan(288);
    expect(after.every((b) => b.boost === (b.S >= 0.2 * b.H ? 4 : 1))).toBe(true);
  });

  it('the daemon H at the measured 100 and 500 a day meets G2 by design from that restart (30 / restartArlDays <= 0.33)', () => {
    const policy = actingPolicy({ policy: DEFAULT_POLICY, intervalMs: 300_000 }, 'daemon');
    for (const n of [100.4, 500.4]) {
      const H = thresholdForVolume(n, 32, policy, PERFECT_JUDGE);
      const days = restartArlDays(0.02, 32, H, n, DEFAULT_POLICY.boost!, policy.acting!, {
        fraction: 0.25,
        burstFactor: 5,
        burstMs: 48 * 3_600_000,
      });
      // 0.262 at both (H = 191 and 254, calibrated to 100 d at 2%, a margin over the 90 d that gave 0.292:
      // the live daemon's pooled replicates ran ~9% above the chain, bench/live-g2.ts)
      expect(30 / days).toBeLessThanOrEqual(1 / 3);
    }
  });
});
