import { describe, expect, it } from 'vitest';
import { correctInterval, estimateFromReview } from './judge-noise.js';
import { judgeScale, trueScale } from './judge-scale.js';

describe('judge noise', () => {
  it('reproduces the notes table q(1.5%) = 3.32% at fp 2%, fn 10%, and inverts it', () => {
    expect(judgeScale(0.015, { fp: 0.02, fn: 0.1 })).toBeCloseTo(0.0332, 4);
    expect(trueScale(0.0332, { fp: 0.02, fn: 0.1 })).toBeCloseTo(0.015, 10);
    expect(trueScale(0.01, { fp: 0.02, fn: 0.1 })).toBe(0);
    expect(trueScale(0.99, { fp: 0.02, fn: 0.1 })).toBe(1);
  });

  it('recovers fp and fn from a review of flags and passes when the review is exact', () => {
    // true p = 1.5%, fp = 2%, fn = 10%: f = q = 3.32%, PPV = 0.9*0.015/f, FOR = 0.1*0.015/(1-f)
    const p = 0.015;
    const f = judgeScale(p, { fp: 0.02, fn: 0.1 });
    const e = estimateFromReview({
      flagRate: f,
      reviewedFlags: 1e6,
      confirmedFlags: 1e6 * ((0.9 * p) / f),
      reviewedPasses: 1e6,
      missedErrors: 1e6 * ((0.1 * p) / (1 - f)),
    });
    expect(e.p).toBeCloseTo(0.015, 7);
    expect(e.fp).toBeCloseTo(0.02, 7);
    expect(e.fn).toBeCloseTo(0.1, 5);
  });

  it('gives fn > 0 from a review that finds no missed error among 200 passes (Beta posterior, prior mean 10%)', () => {
    // true p = 3%, fp = 1%, fn = 10%: f = 3.67%; 50 reviewed flags (37 real), 200 passes, none missed
    const e = estimateFromReview({
      flagRate: 0.0367,
      reviewedFlags: 50,
      confirmedFlags: 37,
      reviewedPasses: 200,
      missedErrors: 0,
    });
    expect(e.forRate).toBe(0);
    expect(e.fn!).toBeGreaterThan(0.03);
    expect(e.fn!).toBeLessThan(0.1);
    expect(e.fnInterval![0]).toBeGreaterThan(0);
    expect(e.fnInterval![1]).toBeGreaterThan(0.15);
    expect(e.fpInterval![0]).toBeLessThan(e.fp!);
    expect(e.fpInterval![1]).toBeGreaterThan(e.fp!);
  });

  it('corrects an interval with the judge-rate ends that widen it, never to zero width', () => {
    const j = {
      fp: 0.02,
      fn: 0.1,
      fpInterval: [0.01, 0.03] as [number, number],
      fnInterval: [0.05, 0.2] as [number, number],
    };
    const c = correctInterval({ rate: 0.05, lower: 0.04, upper: 0.06 }, j);
    expect(c.lower).toBeCloseTo((0.04 - 0.03) / (1 - 0.03 - 0.05), 12);
    expect(c.upper).toBeCloseTo((0.06 - 0.01) / (1 - 0.01 - 0.2), 12);
    // 0 flags of 1,000 with fp 2% known exactly: the old correction gave [0, 0]
    const z = correctInterval({ rate: 0, lower: 0, upper: 0.0038 }, { fp: 0.02, fn: 0.1 });
    expect(z.lower).toBe(0);
    expect(z.upper).toBeGreaterThan(0.003);
  });
});
