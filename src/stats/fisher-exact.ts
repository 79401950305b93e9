import { lnGamma } from './binomial-interval.js';

const lnFactorial = (n: number) => lnGamma(n + 1);

/**
 * Two-sided Fisher exact test on the 2x2 table [[a, b], [c, d]] (rows: two groups; columns: event,
 * no event): the probability, with the margins fixed, of a table at most as likely as the one seen.
 * Used to ask whether a judge's error rate differs between two runs on gold items.
 */
export function fisherExactTwoSided(a: number, b: number, c: number, d: number): number {
  const row1 = a + b;
  const row2 = c + d;
  const col1 = a + c;
  const n = row1 + row2;
  if (n === 0) return 1;
  const base = lnFactorial(row1) + lnFactorial(row2) + lnFactorial(col1) + lnFactorial(n - col1) - lnFactorial(n);
  const lnP = (x: number) =>
    base - lnFactorial(x) - lnFactorial(row1 - x) - lnFactorial(col1 - x) - lnFactorial(row2 - col1 + x);
  const seen = lnP(a);
  let p = 0;
  for (let x = Math.max(0, col1 - row2); x <= Math.min(row1, col1); x++) {
    const lp = lnP(x);
    if (lp <= seen + 1e-7) p += Math.exp(lp); // relative tolerance as in R's fisher.test
  }
  return Math.min(1, p);
}
