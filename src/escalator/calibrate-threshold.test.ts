import { describe, expect, it } from 'vitest';
import { calibrateThreshold, recommendedThreshold } from './calibrate-threshold.js';
import { quasiStationary, runLengthSurvival, summarizeRunLength, zeroStateArl } from './cusum-markov.js';

const BUDGET = {
  m: 32,
  constraints: [
    [0.015, 365],
    [0.02, 90],
  ] as const,
};

describe('recommendedThreshold', () => {
  // escalation-statistics.md section 7: H = 122/143/170/197/234/262/300 at n = 25/50/100/200/500/1000/2500.
  it.each([
    [25, 122],
    [50, 143],
    [100, 170],
    [200, 197],
    [500, 234],
    [1000, 262],
    [2500, 300],
  ])('n = %i judged/day gives H = %i (notes, within 2)', (n, H) => {
    expect(Math.abs(recommendedThreshold(n, BUDGET) - H)).toBeLessThanOrEqual(2);
  });

  it('is the smallest H meeting both constraints', () => {
    const H = recommendedThreshold(100, BUDGET);
    expect(zeroStateArl(0.015, 32, H)).toBeGreaterThanOrEqual(365 * 100);
    expect(zeroStateArl(0.02, 32, H)).toBeGreaterThanOrEqual(90 * 100);
    expect(zeroStateArl(0.02, 32, H - 1)).toBeLessThan(90 * 100);
  });

  it('maps the noisy-judge design of section 4 (fp 2%, fn 10%: m = 20, H = 169 at 100/day)', () => {
    const q = (p: number) => 0.02 + 0.88 * p;
    const H = Math.max(calibrateThreshold(20, 365 * 100, q(0.015)), calibrateThreshold(20, 90 * 100, q(0.02)));
    expect(Math.abs(H - 169)).toBeLessThanOrEqual(2);
  });
});

describe('exact run-length figures', () => {
  it('reproduces the design table row for n = 100 (ARL 634 d at 1.5%, 10.7 d at 3%, delay to 6% 1.61 d [p90 2.8])', () => {
    expect(zeroStateArl(0.015, 32, 170) / 100).toBeCloseTo(634, -1);
    expect(zeroStateArl(0.03, 32, 170) / 100).toBeCloseTo(10.7, 1);
    const { mean, p90 } = summarizeRunLength(runLengthSurvival(quasiStationary(0.01, 32, 170), 0.06, 32, 170));
    expect(mean / 100).toBeCloseTo(1.61, 2);
    expect(p90 / 100).toBeCloseTo(2.8, 1);
  });
});
