/**
 * Exact Markov-chain computations for the integer Bernoulli CUSUM
 * `S <- max(0, S + m*x - (1 - x))`, alarm when S >= H (Brook-Evans; Reynolds & Stoumbos 1999).
 * States are 0..H-1; a port of `arl_vec`, `cusum_step`, `quasi_stationary` and
 * `run_length_dist` in the notes' sim_escalation.py.
 */

/**
 * Expected number of verdicts until the alarm from every start state 0..H-1, at error rate p:
 * solves (I - Q) L = 1 by banded elimination (lower bandwidth 1, upper m), O(H*m).
 */
export function averageRunLengths(p: number, m: number, H: number, cost?: (state: number) => number): Float64Array {
  const w = m + 1;
  const U = new Float64Array(H * w); // U[i*w + j] = A[i][i + j]
  const sub = 1 - p;
  // cost per verdict taken in each state: 1 counts verdicts; 1 / (verdicts per day) counts days
  const b = cost ? Float64Array.from({ length: H }, (_, i) => cost(i)) : new Float64Array(H).fill(1);
  for (let i = 0; i < H; i++) {
    U[i * w] = i === 0 ? p : 1; // a pass at state 0 stays at 0
    if (i + m < H) U[i * w + m] -= p;
  }
  // Eliminate the single sub-diagonal entry -(1-p) of each row (no pivoting: I-Q is an M-matrix).
  for (let k = 0; k + 1 < H; k++) {
    const f = -sub / U[k * w];
    const r = (k + 1) * w;
    for (let j = 1; j <= m && k + j < H; j++) U[r + j - 1] -= f * U[k * w + j];
    b[k + 1] -= f * b[k];
  }
  const L = new Float64Array(H);
  for (let i = H - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = 1; j <= m && i + j < H; j++) s -= U[i * w + j] * L[i + j];
    L[i] = s / U[i * w];
  }
  return L;
}

/** Zero-state ARL in verdicts; +Infinity when it exceeds 1e13 (numerically unresolvable). */
export function zeroStateArl(p: number, m: number, H: number, start = 0): number {
  const L = averageRunLengths(p, m, H)[start];
  return Number.isFinite(L) && L > 0 && L < 1e13 ? L : Infinity;
}

/** Propagates a sub-stochastic state distribution by one verdict at error rate p. */
export function cusumStep(v: Float64Array, p: number, m: number, H: number): Float64Array {
  const out = new Float64Array(H);
  const q = 1 - p;
  out[0] += q * (H > 1 ? v[0] + v[1] : v[0]);
  for (let i = 1; i < H - 1; i++) out[i] += q * v[i + 1];
  for (let i = m; i < H; i++) out[i] += p * v[i - m];
  return out;
}

/** Distribution of S conditional on no alarm after a long run at error rate p (power iteration). */
export function quasiStationary(p: number, m: number, H: number, tol = 1e-12, kmax = 200_000): Float64Array {
  let v: Float64Array = new Float64Array(H);
  v[0] = 1;
  for (let k = 0; k < kmax; k++) {
    const w = cusumStep(v, p, m, H);
    const total = w.reduce((a, x) => a + x, 0);
    for (let i = 0; i < H; i++) w[i] /= total;
    if (k % 50 === 0) {
      let d = 0;
      for (let i = 0; i < H; i++) d += Math.abs(w[i] - v[i]);
      if (d < tol) return w;
    }
    v = w;
  }
  return v;
}

/** Survival function P(RL > k), k = 0, 1, ... from `start`, until it falls under `tol`. */
export function runLengthSurvival(
  start: Float64Array,
  p: number,
  m: number,
  H: number,
  tol = 1e-7,
  kmax = 2_000_000,
): number[] {
  let v = Float64Array.from(start);
  let w = new Float64Array(H);
  const q = 1 - p;
  const surv = [v.reduce((a, x) => a + x, 0)];
  while (surv[surv.length - 1] > tol && surv.length <= kmax) {
    // In-place double-buffered cusumStep (this loop dominates the simulate command's run time).
    w[0] = q * (H > 1 ? v[0] + v[1] : v[0]);
    for (let i = 1; i < H - 1; i++) w[i] = q * v[i + 1];
    if (H > 1) w[H - 1] = 0;
    for (let i = m; i < H; i++) w[i] += p * v[i - m];
    let total = 0;
    for (let i = 0; i < H; i++) total += w[i];
    surv.push(total);
    [v, w] = [w, v];
  }
  return surv;
}

/** Mean and 90th percentile of a run length (in verdicts) from its survival function. */
export function summarizeRunLength(surv: number[]): { mean: number; p90: number } {
  const mean = surv.reduce((a, x) => a + x, 0);
  const p90 = surv.findIndex((s) => s <= 0.1);
  return { mean, p90: p90 < 0 ? surv.length : p90 };
}

/** A point-mass start distribution at state s. */
export function startAt(s: number, H: number): Float64Array {
  const v = new Float64Array(H);
  v[Math.min(Math.max(0, Math.floor(s)), H - 1)] = 1;
  return v;
}
