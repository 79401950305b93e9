import { describe, expect, it } from 'vitest';
import { allocateSample, toThreshold } from './allocate-sample.js';
import { computeBoost } from './sample-boost.js';

const v = (taskType: string, volume: number, source: 'routing' | 'cache' = 'routing') => ({
  source,
  reason: source === 'routing' ? 'routing' : 'hit',
  taskType,
  day: '2026-11-25',
  volume,
});
const base = { floorPerDay: 100, sqrtFactor: 2.2 };

describe('allocateSample', () => {
  it('follows n = min(V, max(100, 2.2 sqrt V)) per stratum', () => {
    const out = allocateSample([v('a', 50), v('b', 1000), v('c', 50_000)], base);
    expect(out.map((o) => Math.round(o.target))).toEqual([50, 100, 492]);
    expect(out[0].threshold).toBe(1_000_000);
    expect(out[2].rate).toBeCloseTo((2.2 * Math.sqrt(50_000)) / 50_000, 12);
  });

  it('multiplies routing strata by the boost, capped at V, and leaves cache strata alone', () => {
    const out = allocateSample([v('a', 300), v('b', 10_000), v('b', 10_000, 'cache')], {
      ...base,
      boost: { a: 5, b: 4 },
    });
    expect(out.map((o) => Math.round(o.target))).toEqual([300, 880, 220]);
  });

  it('uses a flat rate when given', () => {
    const out = allocateSample([v('a', 300), v('b', 10_000)], { ...base, flatRate: 0.05 });
    expect(out.map((o) => o.threshold)).toEqual([50_000, 50_000]);
    expect(toThreshold(1)).toBe(1_000_000);
  });
});

describe('computeBoost', () => {
  const now = new Date('2026-11-26T00:00:00Z');
  it('gives 4x at S >= 0.2 H, 5x within 48 h of a routing change of that class only, 1x otherwise', () => {
    expect(computeBoost(['a', 'b'], { a: { S: 34, H: 170 }, b: { S: 33.9, H: 170 } }, {}, now)).toEqual({ a: 4, b: 1 });
    // a change of class b bursts b, not a (before: every class got 5x)
    expect(computeBoost(['a', 'b'], { a: { S: 34, H: 170 } }, { b: new Date('2026-11-24T01:00:00Z') }, now)).toEqual({
      a: 4,
      b: 5,
    });
    expect(computeBoost(['a', 'b'], {}, { '*': new Date('2026-11-24T01:00:00Z') }, now)).toEqual({ a: 5, b: 5 });
    expect(computeBoost(['a'], {}, { a: new Date('2026-11-23T23:00:00Z') }, now)).toEqual({ a: 1 });
    expect(computeBoost(['a'], {}, {}, now, { a: 2 })).toEqual({ a: 2 });
  });
});
