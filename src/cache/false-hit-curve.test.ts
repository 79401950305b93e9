import { describe, expect, it } from 'vitest';
import { analyseFalseHits, judgedNeeded, type JudgedLookup } from './false-hit-curve.js';
import { seededRandom } from '../stats/seeded-random.js';

/** Deterministic spread of n similarities over [lo, hi). */
const spread = (n: number, lo: number, hi: number, falseHit: boolean, inclusionProb?: number): JudgedLookup[] =>
  Array.from({ length: n }, (_, i) => ({ similarity: lo + ((hi - lo) * (i + 0.5)) / n, falseHit, inclusionProb }));

/** The sampler interleaves strata: judged lookups in a seeded random order. */
function shuffled(xs: JudgedLookup[], seed = 3): JudgedLookup[] {
  const rand = seededRandom(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('judgedNeeded', () => {
  it('reproduces the section 6 table (95%, exact binomial, one planned look)', () => {
    expect([0, 1, 2, 3, 5, 10].map((k) => judgedNeeded(k, 0.01))).toEqual([299, 473, 628, 773, 1049, 1693]);
    expect(judgedNeeded(0, 0.005)).toBe(598);
  });
});

describe('analyseFalseHits', () => {
  it('certifies a threshold at or above 0.95 when all false hits lie below 0.95 and 3,000 clean lookups lie above', () => {
    const judged = shuffled([
      ...spread(3000, 0.95, 1, false),
      ...spread(600, 0.7, 0.95, true),
      ...spread(400, 0.7, 0.95, false),
    ]);
    const a = analyseFalseHits(judged, { target: 0.01 });
    expect(a.recommended).not.toBeNull();
    // [0.945, 0.95) holds 12 false hits among ~3,020 lookups (0.4%): certifying it is right
    expect(a.recommended!.threshold).toBeGreaterThanOrEqual(0.945);
    expect(a.recommended!.threshold).toBeLessThanOrEqual(0.99);
    expect(a.recommended!.falseHits).toBeLessThanOrEqual(12);
    expect(a.recommended!.falseHitUpper).toBeLessThan(0.01);
  });

  it('weights near-misses by their inclusion probability: drawn 8x less often, their false hits count 8x', () => {
    // hits drawn at 25%, near-misses at 3.125%; 2% of judged near-misses are false. At 0.905 (the
    // lowest grid step at or above the lowest judged similarity) unweighted it looks like 10 of
    // 3,540 (0.28%); weighted it is 320 of 29,280 (1.09%) > 1%.
    const hits = spread(3000, 0.95, 1, false, 0.25);
    const near = spread(600, 0.9, 0.95, false, 0.03125).map((j, i) => ({ ...j, falseHit: i % 50 === 0 }));
    const a = analyseFalseHits(shuffled([...hits, ...near]), { target: 0.01 });
    const low = a.curve.find((p) => p.threshold === 0.905)!;
    expect(low.weightedRate).toBeCloseTo(320 / 29280, 6);
    expect(low.upper).toBeGreaterThan(0.01);
    expect(a.recommended!.threshold).toBeGreaterThan(0.905);
    // the same lookups read as if drawn uniformly would certify 0.90
    const unweighted = analyseFalseHits(shuffled([...hits, ...near].map((j) => ({ ...j, inclusionProb: 1 }))), {
      target: 0.01,
    });
    expect(unweighted.recommended!.threshold).toBe(0.905);
  });

  it('never steps below the lowest judged similarity, and lists no threshold without data', () => {
    // judged only in [0.65, 1); a 25% target would pass at every threshold the data reach
    const judged = shuffled([...spread(900, 0.7, 1, false), ...spread(100, 0.65, 0.7, false)]);
    const a = analyseFalseHits(judged, { target: 0.25 });
    expect(a.floor).toBe(0.655); // the lowest judged similarity is 0.65025
    expect(a.recommended!.threshold).toBe(0.655);
    expect(Math.min(...a.curve.map((p) => p.threshold))).toBeGreaterThanOrEqual(0.65);
    expect(a.curve.every((p) => p.hits > 0)).toBe(true);
  });

  it('says "not certified: n < 500 cache samples" before the start of the step-down can be fixed', () => {
    const a = analyseFalseHits(spread(320, 0.9, 1, false), { target: 0.01 });
    expect(a.recommended).toBeNull();
    expect(a.start).toBeNull();
    expect(a.needed!.reason).toBe(
      'not certified: n < 500 cache samples of the class fix where the step-down starts (320 so far)',
    );
  });

  it('says the bound has not crossed yet, and how many more clean judged lookups would cross it', () => {
    const a = analyseFalseHits(shuffled(spread(600, 0.9, 1, false)), { target: 0.01 });
    expect(a.recommended).toBeNull();
    expect(a.needed!.reason).toMatch(
      /^not certified: at the start threshold 0\.98 the anytime 95% bound .* has not crossed 1\.00% yet/,
    );
    expect(a.needed!.more).toBeGreaterThan(400);
    // adding that many clean lookups at the start certifies it
    const more = spread(a.needed!.more!, 0.985, 1, false);
    expect(
      analyseFalseHits([...shuffled(spread(600, 0.9, 1, false)), ...more], { target: 0.01 }).recommended,
    ).not.toBeNull();
  });

  it('does not certify a cache whose false-hit rate is above the target, and says more labels will not help', () => {
    const judged = Array.from({ length: 5000 }, (_, i) => ({
      similarity: 0.8 + (i % 200) / 1000,
      falseHit: i % 47 === 0,
    }));
    const a = analyseFalseHits(judged, { target: 0.01 });
    expect(a.recommended).toBeNull();
    expect(a.needed).toMatchObject({ judgedNeeded: null, more: null });
    expect(a.needed!.reason).toMatch(/not below the target, so more labels at this threshold will not certify/);
  });

  it('reports the hit share over all logged lookups', () => {
    const judged = shuffled(
      Array.from({ length: 2000 }, (_, i) => ({ similarity: 0.96 + (0.04 * i) / 2000, falseHit: false })),
    );
    const a = analyseFalseHits(judged, {
      target: 0.02,
      grid: [0.9, 0.96],
      population: [...judged.map((j) => ({ similarity: j.similarity, count: 1 })), { similarity: 0.2, count: 2000 }],
    });
    expect(a.recommended).toMatchObject({ threshold: 0.96, hitShare: 0.5 });
    expect(a.curve.map((p) => p.threshold)).toEqual([0.96]);
  });
});
