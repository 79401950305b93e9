/**
 * A false-escalation rate with its evidence: events over days at risk (not escalated) and a 95%
 * interval. `replicates` independent deployments were run; `dispersion` (>= 1) is how much wider
 * than Poisson their counts spread, and the interval is widened by it (1: the exact Poisson one).
 */
export interface EventRate {
  per30d: number;
  lower: number;
  upper: number;
  events: number;
  daysAtRisk: number;
  replicates: number;
  dispersion: number;
}

/** One independent deployment's count: events and the days at risk they were counted over. */
export interface ReplicateCount {
  events: number;
  daysAtRisk: number;
}

/** Events per 30 days at risk with an exact Poisson 95% interval (chi-square via Wilson-Hilferty). */
export function eventRate(events: number, daysAtRisk: number): EventRate {
  return quasiPoisson(events, daysAtRisk, 1, 1);
}

/**
 * The rate pooled over independent replicate deployments, with a quasi-Poisson 95% interval: false
 * escalations are not a Poisson process (each one is followed by a restart at H/4 with a 48 h burst,
 * so they come in renewal cycles whose length varies more than an exponential's), so the Poisson
 * interval is widened by the dispersion phi = Pearson X^2 / (R - 1) of the replicates' counts around
 * the pooled rate, never below 1 (the interval of events / phi Poisson counts, scaled by phi).
 */
export function replicateEventRate(reps: readonly ReplicateCount[]): EventRate {
  const events = reps.reduce((a, r) => a + r.events, 0);
  const days = reps.reduce((a, r) => a + r.daysAtRisk, 0);
  const rate = events / Math.max(1e-9, days);
  let x2 = 0;
  for (const r of reps) {
    const expected = rate * r.daysAtRisk;
    if (expected > 0) x2 += (r.events - expected) ** 2 / expected;
  }
  const phi = reps.length > 1 && events > 0 ? Math.max(1, x2 / (reps.length - 1)) : 1;
  return quasiPoisson(events, days, phi, reps.length);
}

function quasiPoisson(events: number, daysAtRisk: number, phi: number, replicates: number): EventRate {
  const scale = 30 / Math.max(1e-9, daysAtRisk);
  const k = events / phi;
  const lo = events === 0 ? 0 : phi * poissonQuantile(k, 0.025);
  const hi = phi * poissonQuantile(k + 1, 0.975);
  return {
    per30d: events * scale,
    lower: lo * scale,
    upper: hi * scale,
    events,
    daysAtRisk: Math.round(daysAtRisk),
    replicates,
    dispersion: Math.round(phi * 100) / 100,
  };
}

/** Gamma(k, 1) quantile (the Poisson mean bound) by Wilson-Hilferty; within 1% for k >= 1. */
function poissonQuantile(k: number, q: number): number {
  if (!(k > 0)) return 0;
  const z = q > 0.5 ? 1.959963985 : -1.959963985;
  const x = k * (1 - 1 / (9 * k) + (z * 1) / (3 * Math.sqrt(k))) ** 3;
  return Math.max(0, x);
}
