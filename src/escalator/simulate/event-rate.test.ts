import { describe, expect, it } from 'vitest';
import { eventRate, replicateEventRate } from './event-rate.js';

describe('eventRate', () => {
  it('gives the exact Poisson 95% interval (Garwood: 10 events -> [4.80, 18.39])', () => {
    const r = eventRate(10, 30);
    expect(r.per30d).toBe(10);
    expect(r.lower).toBeCloseTo(4.8, 1);
    expect(r.upper).toBeCloseTo(18.39, 1);
    expect(r).toMatchObject({ replicates: 1, dispersion: 1 });
  });
});

describe('replicateEventRate', () => {
  it('equals the Poisson interval when the replicates spread no more than Poisson', () => {
    const r = replicateEventRate([
      { events: 10, daysAtRisk: 300 },
      { events: 11, daysAtRisk: 300 },
      { events: 9, daysAtRisk: 300 },
    ]);
    expect(r.dispersion).toBe(1);
    expect(r).toMatchObject({ ...eventRate(30, 900), replicates: 3 });
  });

  it('widens the interval by the between-replicate dispersion (clustered events), same point estimate', () => {
    const reps = [3, 4, 6, 10, 12, 13, 13, 14].map((events) => ({ events, daysAtRisk: 930 }));
    const r = replicateEventRate(reps);
    const poisson = eventRate(75, 8 * 930);
    expect(r.per30d).toBeCloseTo(poisson.per30d, 12);
    // X^2 = 137 / 9.375 = 14.6 on 7 df
    expect(r.dispersion).toBeCloseTo(2.09, 1);
    expect(r.upper - r.lower).toBeGreaterThan(1.4 * (poisson.upper - poisson.lower));
    expect(r.lower).toBeLessThan(poisson.lower);
  });

  it('keeps a zero count honest: lower 0, the upper bound of one event', () => {
    const r = replicateEventRate([
      { events: 0, daysAtRisk: 100 },
      { events: 0, daysAtRisk: 100 },
    ]);
    expect(r).toMatchObject({ per30d: 0, lower: 0, dispersion: 1 });
    expect(r.upper).toBeCloseTo(eventRate(0, 200).upper, 12);
  });
});
