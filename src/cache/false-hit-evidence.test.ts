import { describe, expect, it } from 'vitest';
import {
  anytimeUpperBound,
  certifiesBelow,
  logFalseHitEValue,
  moreNeeded,
  weightedRate,
} from './false-hit-evidence.js';
import { seededRandom } from '../stats/seeded-random.js';

describe('logFalseHitEValue', () => {
  it('is 1 (log 0) without data and grows with clean judged lookups', () => {
    expect(logFalseHitEValue([], 0.01)).toBe(0);
    const a = logFalseHitEValue([{ inclusionProb: 1, falseHit: false, count: 300 }], 0.01);
    const b = logFalseHitEValue([{ inclusionProb: 1, falseHit: false, count: 600 }], 0.01);
    expect(b).toBeGreaterThan(a);
  });

  it('drops bets larger than the smallest inclusion probability, so a false hit never drives capital negative', () => {
    const groups = [
      { inclusionProb: 0.001, falseHit: true, count: 1 },
      { inclusionProb: 0.5, falseHit: false, count: 5000 },
    ];
    expect(Number.isFinite(logFalseHitEValue(groups, 0.01))).toBe(true);
  });

  it('holds its level at every look: a stream at exactly the target is rejected in <= 5% of 400 runs of 3,000 lookups', () => {
    // unequal inclusion: half the lookups drawn at 0.5, half at 0.05; true rate 2% in both
    const rand = seededRandom(11);
    let crossed = 0;
    for (let rep = 0; rep < 400; rep++) {
      const counts = new Map<string, number>();
      let hit = false;
      for (let i = 1; i <= 3000 && !hit; i++) {
        const pi = i % 2 ? 0.5 : 0.05;
        if (rand() >= pi) continue;
        const key = `${pi}|${rand() < 0.02}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        if (i % 100 === 0) {
          const groups = [...counts].map(([k, count]) => ({
            inclusionProb: Number(k.split('|')[0]),
            falseHit: k.endsWith('true'),
            count,
          }));
          hit = certifiesBelow(groups, 0.02, 0.05);
        }
      }
      if (hit) crossed++;
    }
    expect(crossed / 400).toBeLessThanOrEqual(0.05);
  });
});

describe('anytimeUpperBound', () => {
  it('sits above the weighted rate and shrinks with data', () => {
    const small = [
      { inclusionProb: 1, falseHit: false, count: 990 },
      { inclusionProb: 1, falseHit: true, count: 10 },
    ];
    const big = [
      { inclusionProb: 1, falseHit: false, count: 9900 },
      { inclusionProb: 1, falseHit: true, count: 100 },
    ];
    expect(anytimeUpperBound(small, 0.05)).toBeGreaterThan(0.01);
    expect(anytimeUpperBound(big, 0.05)).toBeLessThan(anytimeUpperBound(small, 0.05));
    expect(anytimeUpperBound(big, 0.05)).toBeGreaterThan(0.01);
    expect(anytimeUpperBound([], 0.05)).toBe(1);
  });
});

describe('weightedRate and moreNeeded', () => {
  it('weights by 1 / inclusion probability and reports Kish effective n', () => {
    const w = weightedRate([
      { inclusionProb: 0.5, falseHit: false, count: 100 },
      { inclusionProb: 0.05, falseHit: true, count: 10 },
    ]);
    expect(w.rate).toBeCloseTo(200 / 400, 9);
    expect(w.effectiveN).toBeCloseTo(400 ** 2 / (100 * 4 + 10 * 400), 9);
    expect(weightedRate([]).rate).toBeNull();
  });

  it('needs 641 clean judged lookups for 1% with no false hit (the price of validity at every look; 299 for one planned look)', () => {
    expect(moreNeeded([], 0.01, 0.05, 1)).toBe(641);
  });
});
