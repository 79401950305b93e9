import { describe, expect, it } from 'vitest';
import { analyseFalseHits, judgedNeeded, type JudgedLookup } from './false-hit-curve.js';

/** Deterministic spread of n similarities over [lo, hi). */
const spread = (n: number, lo: number, hi: number, falseHit: boolean): JudgedLookup[] =>
  Array.from({ length: n }, (_, i) => ({ similarity: lo + ((hi - lo) * (i + 0.5)) / n, falseHit }));

describe('judgedNeeded', () => {
  it('reproduces the section 6 table (95%, exact binomial)', () => {
    expect([0, 1, 2, 3, 5, 10].map((k) => judgedNeeded(k, 0.01))).toEqual([299, 473, 628, 773, 1049, 1693]);
    expect(judgedNeeded(0, 0.005)).toBe(598);
    expect(judgedNeeded(10, 0.02)).toBe(845);
  });
});

describe('analyseFalseHits', () => {
  it('recommends a threshold in [0.945, 0.975] when all false hits lie below 0.95 and 500 clean lookups lie above', () => {
    const judged = [...spread(500, 0.95, 1, false), ...spread(300, 0.7, 0.95, true), ...spread(200, 0.7, 0.95, false)];
    const a = analyseFalseHits(judged, { target: 0.01 });
    expect(a.recommended).not.toBeNull();
    expect(a.recommended!.threshold).toBeGreaterThanOrEqual(0.945);
    expect(a.recommended!.threshold).toBeLessThanOrEqual(0.975);
    expect(a.recommended!.falseHits).toBe(0);
    expect(a.recommended!.falseHitUpper).toBeLessThan(0.01);
    expect(a.recommended!.hitShare).toBeCloseTo(0.5, 2);
  });

  it('stops stepping down at the first threshold whose bound reaches the target', () => {
    // One false hit at 0.897 keeps the bound under 1% (1 of ~700: 0.0068); the cluster of false hits
    // in [0.85, 0.86) stops the descent at 0.86.
    const judged = [...spread(700, 0.9, 1, false), { similarity: 0.897, falseHit: true }, ...spread(40, 0.85, 0.86, true)];
    const a = analyseFalseHits(judged, { target: 0.01 });
    expect(a.recommended!.threshold).toBeGreaterThanOrEqual(0.86);
    expect(a.recommended!.threshold).toBeLessThanOrEqual(0.895);
    expect(a.recommended!.falseHits).toBe(1);
  });

  it('says not enough data, and how many more, with fewer than 299 judged lookups', () => {
    const a = analyseFalseHits(spread(120, 0.9, 1, false), { target: 0.01 });
    expect(a.recommended).toBeNull();
    expect(a.needed).toMatchObject({ judgedNeeded: 299, more: 179, startThreshold: null });
    expect(a.needed!.reason).toMatch(/not enough data/);
  });

  it('asks for the section 6 sample size when the start threshold fails with false hits seen', () => {
    const judged = [...spread(298, 0.96, 1, false), { similarity: 0.99, falseHit: true }, { similarity: 0.97, falseHit: true }];
    const a = analyseFalseHits(judged, { target: 0.01 });
    expect(a.recommended).toBeNull();
    expect(a.needed).toMatchObject({ falseHitsAtStart: 2, judgedNeeded: 628 });
    expect(a.needed!.more).toBe(628 - a.needed!.judgedAtStart);
  });

  it('does not certify a cache whose false-hit rate is above the target, however much data', () => {
    const judged = Array.from({ length: 5000 }, (_, i) => ({ similarity: 0.8 + (i % 200) / 1000, falseHit: i % 47 === 0 }));
    expect(analyseFalseHits(judged, { target: 0.01 }).recommended).toBeNull();
  });

  it('reports the curve with exact upper bounds and the hit share over all lookups', () => {
    const judged = spread(400, 0.96, 1, false);
    const a = analyseFalseHits(judged, { target: 0.01, grid: [0.9, 0.96], population: [...judged.map((j) => ({ similarity: j.similarity, count: 1 })), { similarity: 0.2, count: 400 }] });
    expect(a.curve).toEqual([
      { threshold: 0.9, hits: 400, falseHits: 0, upper: expect.closeTo(1 - 0.05 ** (1 / 400), 6) },
      { threshold: 0.96, hits: 400, falseHits: 0, upper: expect.closeTo(1 - 0.05 ** (1 / 400), 6) },
    ]);
    expect(a.recommended).toMatchObject({ threshold: 0.9, hitShare: 0.5 });
  });
});
