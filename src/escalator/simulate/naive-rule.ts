import type { Random } from '../../stats/seeded-random.js';
import { binomialSampler } from './binomial-sampler.js';

/**
 * The blog rule as a nightly state machine: escalated tonight iff tonight's point estimate
 * failures/n is over `limit` (3%), no hysteresis. Seeded Monte Carlo, as in the notes.
 */
export function naiveFires(failures: number, n: number, limit = 0.03): boolean {
  return failures > limit * n;
}

/** Mean escalation events (transitions into escalated) per `per` days at a constant rate p. */
export function naiveEscalations(
  n: number,
  p: number,
  replicates: number,
  days: number,
  rand: Random,
  per = 30,
): number {
  const draw = binomialSampler(n, p);
  let events = 0;
  for (let r = 0; r < replicates; r++) {
    let escalated = false;
    for (let d = 0; d < days; d++) {
      const fires = naiveFires(draw(rand), n);
      if (fires && !escalated) events++;
      escalated = fires;
    }
  }
  return (events / replicates / days) * per;
}

/** Nights from a jump to p1 until the rule first fires (>= 1): mean and 90th percentile. */
export function naiveDelay(
  n: number,
  p1: number,
  replicates: number,
  rand: Random,
  cap = 400,
): { mean: number; p90: number } {
  const draw = binomialSampler(n, p1);
  const nights: number[] = [];
  for (let r = 0; r < replicates; r++) {
    let d = 1;
    while (d < cap && !naiveFires(draw(rand), n)) d++;
    nights.push(d);
  }
  nights.sort((a, b) => a - b);
  return { mean: nights.reduce((a, x) => a + x, 0) / nights.length, p90: nights[Math.ceil(0.9 * nights.length) - 1] };
}
