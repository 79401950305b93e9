import type { Random } from '../../stats/seeded-random.js';

/** Poisson(mean) draw: multiplication (Knuth) under 30, normal approximation above (rounded, >= 0). */
export function poisson(rand: Random, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean < 30) {
    const L = Math.exp(-mean);
    let k = 0;
    let p = rand();
    while (p > L) {
      k++;
      p *= rand();
    }
    return k;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rand)));
}

/** Binomial(n, p) draw: geometric skips when n p < 30 (exact), normal approximation above. */
export function binomial(rand: Random, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (n * p < 30) {
    const lq = Math.log1p(-p);
    let k = 0;
    let pos = 0;
    for (;;) {
      pos += Math.floor(Math.log(1 - rand()) / lq) + 1;
      if (pos > n) return k;
      k++;
    }
  }
  const x = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal(rand));
  return Math.min(n, Math.max(0, x));
}

/** Standard normal draw (Box-Muller). */
export function normal(rand: Random): number {
  const u = Math.max(1e-300, rand());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}
