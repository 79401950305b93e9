/** A rate with its sample size and a two-sided confidence interval. */
export interface RateEstimate {
  n: number;
  failures: number;
  /** failures / n; null when n = 0. */
  rate: number | null;
  lower: number;
  upper: number;
  /** Confidence level of [lower, upper], e.g. 0.95. */
  level: number;
  method: 'wilson' | 'clopper-pearson';
}

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9 after one Halley step). */
export function normalQuantile(p: number): number {
  if (p <= 0 || p >= 1) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  let x: number;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - pl) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One Halley refinement step against erfc.
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Complementary error function (Numerical Recipes erfcc, relative error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * Wilson score interval for failures/n at `level` (two-sided). Use `oneSidedUpper`
 * for the one-sided upper bound the de-escalation rule needs (z = 2.326 at 99%).
 */
export function wilsonInterval(failures: number, n: number, level = 0.95): RateEstimate {
  checkCounts(failures, n);
  if (n === 0) return { n, failures, rate: null, lower: 0, upper: 1, level, method: 'wilson' };
  const z = normalQuantile(1 - (1 - level) / 2);
  const [lower, upper] = wilsonBounds(failures, n, z);
  return { n, failures, rate: failures / n, lower, upper, level, method: 'wilson' };
}

/** One-sided Wilson upper bound at `level` (e.g. 0.99 -> z = 2.326). */
export function wilsonUpper(failures: number, n: number, level = 0.99): number {
  checkCounts(failures, n);
  if (n === 0) return 1;
  return wilsonBounds(failures, n, normalQuantile(level))[1];
}

function wilsonBounds(k: number, n: number, z: number): [number, number] {
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, (centre - half) / denom), Math.min(1, (centre + half) / denom)];
}

/** Exact (Clopper-Pearson) two-sided interval. */
export function clopperPearsonInterval(failures: number, n: number, level = 0.95): RateEstimate {
  checkCounts(failures, n);
  if (n === 0) return { n, failures, rate: null, lower: 0, upper: 1, level, method: 'clopper-pearson' };
  const alpha = 1 - level;
  const lower = failures === 0 ? 0 : betaQuantile(alpha / 2, failures, n - failures + 1);
  const upper = failures === n ? 1 : betaQuantile(1 - alpha / 2, failures + 1, n - failures);
  return { n, failures, rate: failures / n, lower, upper, level, method: 'clopper-pearson' };
}

/** One-sided exact upper bound: BetaInv(level; k+1, n-k). 0 false of 299 gives < 1% at 95%. */
export function clopperPearsonUpper(failures: number, n: number, level = 0.95): number {
  checkCounts(failures, n);
  if (n === 0 || failures === n) return 1;
  return betaQuantile(level, failures + 1, n - failures);
}

/** Regularized incomplete beta I_x(a, b) by Lentz's continued fraction. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Quantile of Beta(a, b) by bisection on the regularized incomplete beta (60 halvings: ~1e-18). */
export function betaQuantile(p: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (regularizedBeta(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(X <= k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return 1 - regularizedBeta(p, k + 1, n - k);
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** ln Γ(x), Lanczos approximation (g = 7, n = 9). */
export function lnGamma(x: number): number {
  const g = 7;
  const coef = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const xx = x - 1;
  let s = coef[0];
  for (let i = 1; i < g + 2; i++) s += coef[i] / (xx + i);
  const t = xx + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(s);
}

function checkCounts(k: number, n: number): void {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n) {
    throw new RangeError(`binomial counts must be integers with 0 <= failures <= n, got ${k}/${n}`);
  }
}
