import type { Random } from '../../stats/seeded-random.js';

/**
 * Draws from Binomial(n, p) by inverting a precomputed CDF (binary search), exact up to 1e-15
 * of tail mass. Build once per (n, p); each draw costs O(log n).
 */
export function binomialSampler(n: number, p: number): (rand: Random) => number {
  const cdf: number[] = [];
  let pmf = (1 - p) ** n;
  let acc = 0;
  for (let k = 0; k <= n; k++) {
    acc += pmf;
    cdf.push(acc);
    if (acc >= 1 - 1e-15) break;
    pmf *= ((n - k) / (k + 1)) * (p / (1 - p));
  }
  return (rand) => {
    const u = rand() * acc;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}
