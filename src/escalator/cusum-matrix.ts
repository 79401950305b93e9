/**
 * Dense matrix helpers for the CUSUM's transient chain (states 0..H-1, alarm absorbing): the k-verdict
 * transition matrix, products, powers and a linear solve. Row-major Float64Array, H x H unless stated.
 */
/**
 * P(S = t after k verdicts, no alarm | S = s) for all s, t (row-major H x H): sparse steps of every
 * row up to k = H, dense squaring above (P^k = (P^(k/2))^2, one more sparse step when k is odd).
 */
export function verdictPower(p: number, m: number, H: number, k: number): Float64Array {
  if (k > H) {
    const half = verdictPower(p, m, H, Math.floor(k / 2));
    const sq = matMul(half, half, H);
    return k % 2 === 1 ? stepRows(sq, p, m, H, 1) : sq;
  }
  const I = new Float64Array(H * H);
  for (let s = 0; s < H; s++) I[s * H + s] = 1;
  return stepRows(I, p, m, H, k);
}

/** Every row of V advanced by k verdicts (V P^k). */
function stepRows(V0: Float64Array, p: number, m: number, H: number, k: number): Float64Array {
  let V = Float64Array.from(V0);
  let W = new Float64Array(H * H);
  const q = 1 - p;
  for (let step = 0; step < k; step++) {
    for (let r = 0; r < H; r++) {
      const o = r * H;
      W[o] = q * (H > 1 ? V[o] + V[o + 1] : V[o]);
      for (let i = 1; i < H - 1; i++) W[o + i] = q * V[o + i + 1];
      if (H > 1) W[o + H - 1] = 0;
      for (let i = m; i < H; i++) W[o + i] += p * V[o + i - m];
    }
    [V, W] = [W, V];
  }
  return V;
}

export function matMul(X: Float64Array, Y: Float64Array, H: number): Float64Array {
  const Z = new Float64Array(H * H);
  for (let i = 0; i < H; i++) {
    const zi = i * H;
    for (let l = 0; l < H; l++) {
      const x = X[zi + l];
      if (x === 0) continue;
      const yl = l * H;
      for (let j = 0; j < H; j++) Z[zi + j] += x * Y[yl + j];
    }
  }
  return Z;
}

export function matPow(A: Float64Array, e: number, H: number): Float64Array {
  let out: Float64Array | null = null;
  let base = A;
  for (let x = e; x > 0; x >>= 1) {
    if (x & 1) out = out ? matMul(out, base, H) : base;
    if (x > 1) base = matMul(base, base, H);
  }
  return out ?? identity(H);
}

function identity(H: number): Float64Array {
  const I = new Float64Array(H * H);
  for (let i = 0; i < H; i++) I[i * H + i] = 1;
  return I;
}

/** Gaussian elimination with partial pivoting (I - Q is a nonsingular M-matrix). */
export function solveDense(M: Float64Array, b: Float64Array, N: number): Float64Array {
  for (let c = 0; c < N; c++) {
    let piv = c;
    for (let r = c + 1; r < N; r++) if (Math.abs(M[r * N + c]) > Math.abs(M[piv * N + c])) piv = r;
    if (piv !== c) {
      for (let j = 0; j < N; j++) [M[c * N + j], M[piv * N + j]] = [M[piv * N + j], M[c * N + j]];
      [b[c], b[piv]] = [b[piv], b[c]];
    }
    const d = M[c * N + c];
    for (let r = c + 1; r < N; r++) {
      const f = M[r * N + c] / d;
      if (f === 0) continue;
      for (let j = c; j < N; j++) M[r * N + j] -= f * M[c * N + j];
      b[r] -= f * b[c];
    }
  }
  const x = new Float64Array(N);
  for (let i = N - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < N; j++) s -= M[i * N + j] * x[j];
    x[i] = s / M[i * N + i];
  }
  return x;
}
