import { describe, expect, it } from 'vitest';
import { apparentRate, correctForJudgeNoise, estimateFromReview } from './judge-noise.js';

describe('judge noise', () => {
  it('reproduces the notes table q(1.5%) = 3.32% at fp 2%, fn 10%, and inverts it', () => {
    expect(apparentRate(0.015, 0.02, 0.1)).toBeCloseTo(0.0332, 4);
    expect(correctForJudgeNoise(0.0332, 0.02, 0.1)).toBeCloseTo(0.015, 10);
    expect(correctForJudgeNoise(0.01, 0.02, 0.1)).toBe(0);
    expect(correctForJudgeNoise(0.99, 0.02, 0.1)).toBe(1);
  });

  it('recovers fp and fn from a review of flags and passes when the review is exact', () => {
    // true p = 1.5%, fp = 2%, fn = 10%: f = q = 3.32%, PPV = 0.9*0.015/f, FOR = 0.1*0.015/(1-f)
    const p = 0.015;
    const f = apparentRate(p, 0.02, 0.1);
    const e = estimateFromReview({ flagRate: f, reviewedFlags: 1e6, confirmedFlags: 1e6 * ((0.9 * p) / f), reviewedPasses: 1e6, missedErrors: 1e6 * ((0.1 * p) / (1 - f)) });
    expect(e.p).toBeCloseTo(0.015, 10);
    expect(e.fp).toBeCloseTo(0.02, 10);
    expect(e.fn).toBeCloseTo(0.1, 10);
  });
});
