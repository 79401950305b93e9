import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './binomial-interval.js';
import { coverage, simulateCoverage } from './weighted-rate-coverage.js';
import { addSample, EMPTY_COUNTS, unitWeights, weightedRate, type WeightedCounts } from './weighted-rate.js';

function drawn(samples: { n: number; failures: number; p: number }[]): WeightedCounts {
  let c = EMPTY_COUNTS;
  for (const s of samples) for (let i = 0; i < s.n; i++) c = addSample(c, i < s.failures, s.p);
  return c;
}

describe('weightedRate', () => {
  it('is plain failures / n with the Wilson interval when every weight is equal', () => {
    const w = weightedRate(unitWeights(200, 7));
    const plain = wilsonInterval(7, 200);
    expect(w.rate).toBeCloseTo(0.035, 12);
    expect(w.nEff).toBeCloseTo(200, 9);
    expect(w.lower).toBeCloseTo(plain.lower, 9);
    expect(w.upper).toBeCloseTo(plain.upper, 9);
  });

  it("gives 1.45% for the issue's 20 days at 1% and 2 days at 6% with a boosted last day (unweighted: 1.92%)", () => {
    // 2,000 events/day at a 5% base rate; the last day boosted 4x (20%)
    const c = drawn([
      { n: 2000, failures: 20, p: 0.05 },
      { n: 100, failures: 6, p: 0.05 },
      { n: 400, failures: 24, p: 0.2 },
    ]);
    expect(c.failures / c.n).toBeCloseTo(50 / 2500, 12);
    const w = weightedRate(c);
    expect(w.rate).toBeCloseTo(640 / 44_000, 12);
    expect(w.nEff).toBeLessThan(c.n);
    expect(w.lower).toBeLessThan(0.0145);
    expect(w.upper).toBeGreaterThan(0.0145);
  });

  it('says "no data" (null rate) without a judged sample', () => {
    expect(weightedRate(EMPTY_COUNTS)).toMatchObject({ n: 0, nEff: 0, rate: null });
  });

  it('covers the true rate >= 94% of 300 simulated histories with boost, burst and split days', () => {
    const reps = simulateCoverage({ reps: 300, seed: 7 });
    const cov = coverage(reps);
    const naive =
      reps.filter((r) => r.naive !== null && Math.abs(r.naive - r.truth) > Math.abs(r.rate! - r.truth)).length /
      reps.length;
    console.log(
      `weighted 95% interval coverage ${(cov * 100).toFixed(1)}% over ${reps.length} histories; weighted closer than unweighted in ${(naive * 100).toFixed(0)}%`,
    );
    expect(cov).toBeGreaterThanOrEqual(0.94);
  }, 120_000);
});
