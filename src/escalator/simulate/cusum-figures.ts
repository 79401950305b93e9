import { wilsonUpper } from '../../stats/binomial-interval.js';
import { quasiStationary, runLengthSurvival, startAt, summarizeRunLength, zeroStateArl } from '../cusum-markov.js';
import type { EscalationPolicy } from '../escalation-policy.js';
import type { Random } from '../../stats/seeded-random.js';
import { binomialSampler } from './binomial-sampler.js';

/** False escalations per 30 days at constant rate p (renewal: 30 n / ARL0), exact. */
export function cusumEscalations30(n: number, p: number, m: number, H: number): number {
  return (30 * n) / zeroStateArl(p, m, H);
}

/**
 * Days to detect a jump from `pre` to p1, exact from the quasi-stationary state at `pre`:
 * streaming (acted on at once) mean and p90, and the mean when acted on only at the nightly run.
 */
export function cusumDelay(
  n: number,
  pre: number,
  p1: number,
  m: number,
  H: number,
): { mean: number; p90: number; nightlyMean: number; nightlyP90: number } {
  const surv = runLengthSurvival(quasiStationary(pre, m, H), p1, m, H);
  const { mean, p90 } = summarizeRunLength(surv);
  let nightly = 0;
  for (let k = 0; k < surv.length; k += n) nightly += surv[k];
  return { mean: mean / n, p90: p90 / n, nightlyMean: nightly, nightlyP90: Math.ceil(p90 / n) };
}

/**
 * Escalation events in `days` at a constant rate p with the full procedure: CUSUM escalation
 * (exact run-length distribution, from 0 and from the H/4 restart), then shadow judging of n/day
 * checked nightly with the de-escalation rule. Seeded renewal Monte Carlo, as in the notes (S2.9).
 */
export function cusumFlapping(
  n: number,
  p: number,
  m: number,
  H: number,
  policy: EscalationPolicy,
  replicates: number,
  days: number,
  rand: Random,
): { events: number; shareEscalated: number } {
  const fromZero = cumulative(runLengthSurvival(startAt(0, H), p, m, H, 1e-6));
  const restart = cumulative(
    runLengthSurvival(startAt(Math.floor(H * policy.deescalation.restartFraction), H), p, m, H, 1e-6),
  );
  const draw = binomialSampler(n, p);
  let events = 0;
  let escalatedDays = 0;
  for (let r = 0; r < replicates; r++) {
    let t = 0;
    let cdf = fromZero;
    while (t < days) {
      t += sampleRunLength(cdf, rand) / n;
      if (t >= days) break;
      events++;
      const stay = daysUntilDeescalation(n, draw, policy, rand, days - t);
      escalatedDays += Math.min(stay, days - t);
      t += stay;
      cdf = restart;
    }
  }
  return { events: events / replicates, shareEscalated: escalatedDays / replicates / days };
}

function daysUntilDeescalation(
  n: number,
  draw: (r: Random) => number,
  policy: EscalationPolicy,
  rand: Random,
  horizon: number,
): number {
  const d = policy.deescalation;
  let k = 0;
  for (let night = 1; night <= Math.ceil(horizon); night++) {
    k += draw(rand);
    const N = n * night;
    if (night >= d.minDays && N >= d.minShadow && wilsonUpper(k, N, d.level) < d.below) return night;
  }
  return Infinity;
}

function cumulative(surv: number[]): Float64Array {
  const cdf = new Float64Array(surv.length);
  for (let k = 0; k < surv.length; k++) cdf[k] = 1 - surv[k];
  return cdf;
}

/** A run length k >= 1 with P(RL <= k) = cdf[k]; beyond the table's tail, its end. */
function sampleRunLength(cdf: Float64Array, rand: Random): number {
  const u = rand();
  let lo = 1;
  let hi = cdf.length - 1;
  if (u > cdf[hi]) return hi + 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] >= u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
