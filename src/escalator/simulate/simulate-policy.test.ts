import { beforeAll, describe, expect, it } from 'vitest';
import { binomialCdf } from '../../stats/binomial-interval.js';
import { seededRandom } from '../../stats/seeded-random.js';
import { naiveEscalations } from './naive-rule.js';
import { simulatePolicy, type SimulationResult } from './simulate-policy.js';

const figures = (r: SimulationResult, n: number, rule: string) =>
  r.volumes.find((v) => v.judgedPerDay === n)!.rules.find((f) => f.rule === rule)!;
const delayTo = (f: ReturnType<typeof figures>, p: number) => f.delays.find((d) => d.to === p)!;

describe('simulatePolicy (--quick)', () => {
  let r: SimulationResult;
  beforeAll(() => {
    r = simulatePolicy({ volumes: [25, 100, 2500], seed: 20250601, quick: true, live: false });
  });

  it("meets the notes' goals at 100 judged/day: <= 0.1 false escalations per 30 d at 1.5%, 1% -> 6% within 1.7 d (p90 <= 3 d)", () => {
    const c = figures(r, 100, 'cusum');
    expect(c.falsePer30dAt1_5).toBeLessThanOrEqual(0.1);
    expect(c.falsePer30dAt2).toBeLessThanOrEqual(0.34);
    expect(delayTo(c, 0.06).mean).toBeLessThanOrEqual(1.7);
    expect(delayTo(c, 0.06).p90).toBeLessThanOrEqual(3);
    expect(delayTo(c, 0.1).mean).toBeLessThanOrEqual(0.75);
    expect(delayTo(c, 0.04).mean).toBeLessThanOrEqual(4);
  });

  it('does not flap at exactly 3% (<= 1.3 escalations per 90 d), unlike the naive rule (~21)', () => {
    for (const n of [25, 100, 2500]) {
      expect(figures(r, n, 'cusum').escalationsPer90dAt3).toBeLessThanOrEqual(1.3);
      expect(figures(r, n, 'naive-1d').escalationsPer90dAt3).toBeGreaterThan(17);
    }
  });

  it("puts the naive rule's figures beside them, matching the notes within simulation error", () => {
    const n100 = figures(r, 100, 'naive-1d');
    expect(n100.falsePer30dAt1_5).toBeGreaterThan(1.5);
    expect(n100.falsePer30dAt1_5).toBeLessThan(2.1); // notes: 1.80
    expect(n100.falsePer30dAt2).toBeGreaterThan(3.2);
    expect(n100.falsePer30dAt2).toBeLessThan(4.1); // notes: 3.65
    expect(delayTo(n100, 0.06).mean).toBeGreaterThan(1.08);
    expect(delayTo(n100, 0.06).mean).toBeLessThan(1.26); // notes: 1.17
    expect(figures(r, 25, 'naive-1d').falsePer30dAt1_5).toBeGreaterThan(6); // notes: 6.48
    expect(figures(r, 2500, 'naive-1d').falsePer30dAt1_5).toBeLessThan(0.01);
  });

  it('acting only at the nightly run is slower than streaming but never faster', () => {
    for (const n of [25, 100, 2500]) {
      expect(delayTo(figures(r, n, 'cusum-nightly'), 0.06).mean).toBeGreaterThanOrEqual(
        delayTo(figures(r, n, 'cusum'), 0.06).mean,
      );
    }
  });

  it('is deterministic for a seed', () => {
    const again = simulatePolicy({ volumes: [25], seed: 20250601, quick: true, live: false });
    expect(again.volumes[0]).toEqual(r.volumes[0]);
    const other = simulatePolicy({ volumes: [25], seed: 7, quick: true, live: false });
    expect(figures(other, 25, 'naive-1d').falsePer30dAt1_5).not.toBe(figures(r, 25, 'naive-1d').falsePer30dAt1_5);
  });
});

describe('naiveEscalations', () => {
  it('agrees with the exact expectation pi + (D-1) pi (1-pi) per D nights', () => {
    const n = 100;
    const p = 0.02;
    const pi = 1 - binomialCdf(3, n, p); // fires when failures > 3
    const days = 360;
    const exact = ((pi + (days - 1) * pi * (1 - pi)) / days) * 30;
    const sim = naiveEscalations(n, p, 2000, days, seededRandom(3));
    expect(Math.abs(sim - exact) / exact).toBeLessThan(0.03);
  });
});
