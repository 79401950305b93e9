import { seededRandom } from './seeded-random.js';
import { expectedDailyVolume, stratumBaseRate } from '../sampler/allocate-sample.js';
import { computeBoost } from '../sampler/sample-boost.js';
import { addSample, EMPTY_COUNTS, weightedRate, type WeightedCounts } from './weighted-rate.js';

/** One simulated history's truth and estimate. */
export interface CoverageRep {
  truth: number;
  rate: number | null;
  lower: number;
  upper: number;
  n: number;
  nEff: number;
  /** The unweighted failures / n the old class rate showed. */
  naive: number | null;
}

/** Settings of the coverage simulation (defaults: the scenario family). */
export interface CoverageOptions {
  reps: number;
  days?: number;
  seed?: number;
  floorPerDay?: number;
  sqrtFactor?: number;
}

const DAY_MS = 86_400_000;
const M = 32;
const H = 170;

/**
 * Pure simulation of one class's history through the live sampler and estimator functions:
 * daily volumes 1,000-3,000, error rate 1% with a 2-3 day episode at 6% in half the histories,
 * each day drawn in 1, 2 or 24 runs (stratumBaseRate / expectedDailyVolume fix the day's rate),
 * the 4x boost of computeBoost while a CUSUM (m 32, H 170) on the drawn verdicts is at or above
 * 0.2 H, and a 5x burst for 48 h after a routing change of the class in half the histories.
 * The truth is the share of failed events among all events; the estimate weightedRate over 1/pi.
 */
export function simulateCoverage(o: CoverageOptions): CoverageRep[] {
  const rnd = seededRandom(o.seed ?? 11);
  const days = o.days ?? 30;
  const alloc = { floorPerDay: o.floorPerDay ?? 100, sqrtFactor: o.sqrtFactor ?? 2.2 };
  const out: CoverageRep[] = [];
  const t0 = Date.parse('2026-10-01T00:00:00Z');
  for (let rep = 0; rep < o.reps; rep++) {
    const runs = [1, 2, 24][Math.floor(rnd() * 3)];
    const episode = rnd() < 0.5 ? Math.floor(rnd() * days) : -1;
    const episodeLen = 2 + Math.floor(rnd() * 2);
    const change =
      rnd() < 0.5 ? new Date(t0 + Math.floor(rnd() * days) * DAY_MS + Math.floor(rnd() * DAY_MS)) : undefined;
    const volumes: number[] = [];
    let counts: WeightedCounts = EMPTY_COUNTS;
    let events = 0;
    let errors = 0;
    let S = 0;
    for (let d = 0; d < days; d++) {
      const V = Math.round(1000 + 2000 * rnd());
      const p = episode >= 0 && d >= episode && d < episode + episodeLen ? 0.06 : 0.01;
      const day = new Date(t0 + d * DAY_MS).toISOString().slice(0, 10);
      let base: number | undefined;
      for (let r = 0; r < runs; r++) {
        const perRun = Math.floor(V / runs) + (r < V % runs ? 1 : 0);
        const now = new Date(t0 + d * DAY_MS + ((r + 1) * DAY_MS) / runs);
        if (base === undefined) {
          // the first run of the day fixes its rate (trailing mean, else this run's count scaled to 24 h)
          const e = expectedDailyVolume({ trailing: volumes.slice(-7), soFar: perRun, day, latestTs: now, now });
          base = stratumBaseRate(e.volume, alloc);
        }
        const boost = computeBoost(['c'], { c: { S, H } }, change ? { c: change } : {}, now).c;
        const pi = Math.min(1, base * boost);
        for (let i = 0; i < perRun; i++) {
          const failed = rnd() < p;
          events++;
          if (failed) errors++;
          if (rnd() < pi) {
            counts = addSample(counts, failed, pi);
            S = Math.max(0, S + (failed ? M : -1));
            if (S >= H) S = 0; // an alarm restarts the statistic (the class is escalated and re-monitored)
          }
        }
      }
      volumes.push(V);
    }
    const w = weightedRate(counts, 0.95);
    out.push({
      truth: errors / events,
      rate: w.rate,
      lower: w.lower,
      upper: w.upper,
      n: w.n,
      nEff: w.nEff,
      naive: counts.n ? counts.failures / counts.n : null,
    });
  }
  return out;
}

/** Share of histories whose 95% interval holds the truth. */
export function coverage(reps: CoverageRep[]): number {
  return reps.filter((r) => r.lower <= r.truth && r.truth <= r.upper).length / reps.length;
}
