/** A false-escalation rate with its evidence: events over days at risk (not escalated), Poisson 95% interval. */
export interface EventRate {
  per30d: number;
  lower: number;
  upper: number;
  events: number;
  daysAtRisk: number;
}

/** Events per 30 days at risk with an exact Poisson 95% interval (chi-square via Wilson-Hilferty). */
export function eventRate(events: number, daysAtRisk: number): EventRate {
  const scale = 30 / Math.max(1e-9, daysAtRisk);
  const lo = events === 0 ? 0 : poissonQuantile(events, 0.025);
  const hi = poissonQuantile(events + 1, 0.975);
  return { per30d: events * scale, lower: lo * scale, upper: hi * scale, events, daysAtRisk: Math.round(daysAtRisk) };
}

/** Gamma(k, 1) quantile (the Poisson mean bound) by Wilson-Hilferty; within 1% for k >= 1. */
function poissonQuantile(k: number, q: number): number {
  const z = q > 0.5 ? 1.959963985 : -1.959963985;
  const x = k * (1 - 1 / (9 * k) + (z * 1) / (3 * Math.sqrt(k))) ** 3;
  return Math.max(0, x);
}
