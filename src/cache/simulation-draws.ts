// Random draws shared by the cache certification simulations (seeded: the caller passes `rand`).

/** Poisson(mean) by its normal approximation. */
export function poisson(rand: () => number, mean: number): number {
  // normal approximation: the means here are in the hundreds or more
  const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
}

/** Binomial(n, p): exact by coin flips when small, normal approximation when n p (1 - p) >= 25. */
export function binomial(rand: () => number, n: number, p: number): number {
  if (p >= 1) return n;
  const v = n * p * (1 - p);
  if (v < 25) {
    let k = 0;
    for (let i = 0; i < n; i++) if (rand() < p) k++;
    return k;
  }
  const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(v) * z)));
}

/** Shuffles in place (Fisher-Yates). */
export function shuffle<T>(rand: () => number, xs: T[]): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
}
