import { cusumStep, startAt } from './cusum-markov.js';
import { matMul, matPow, solveDense, verdictPower } from './cusum-matrix.js';
import { recommendedThreshold, type BoostDesign, type ThresholdTargets } from './calibrate-threshold.js';

const DAY_MS = 86_400_000;

/**
 * When the escalator acts on a class: once a night (the boost for the next day is set from S at the
 * night's decision, and a crossing of kappa H tops the day just sampled up to the boosted rate), or a
 * daemon cycle every `intervalMs` (the same rules per cycle).
 */
export type ActingSchedule = { mode: 'nightly' } | { mode: 'daemon'; intervalMs: number };

export const NIGHTLY: ActingSchedule = { mode: 'nightly' };

/** 'nightly' or 'daemon:<interval ms>': what a class state's H was calibrated for. */
export function scheduleKey(schedule: ActingSchedule): string {
  return schedule.mode === 'nightly' ? 'nightly' : `daemon:${schedule.intervalMs}`;
}

/** What a routing change of the class does: S restarts at floor(fraction H) and sampling bursts `factor` x for `ms`. */
export interface RestartDesign {
  fraction: number;
  burstFactor: number;
  burstMs: number;
}

/** Base verdicts per acting cycle: n a day x the cycle length. */
export function verdictsPerCycle(nBase: number, schedule: ActingSchedule): number {
  return schedule.mode === 'nightly' ? nBase : (nBase * schedule.intervalMs) / DAY_MS;
}

/**
 * Mean days to a (false) alarm at error rate p from the state a routing change leaves (S0 =
 * floor(fraction H), the burst for its duration, then the boost as the acting schedule applies it).
 * At a steady rate every false escalation is followed, after the shadow wait, by a de-escalation and
 * this restart, so 1 / this is the long-run false escalations per day at risk (renewal): the budget
 * is met from here, not from S = 0 (which is quieter: no head start, no burst).
 *
 * Cycle chain (k = max(1, round(n x interval)) verdicts per cycle; nightly k = n): the state is
 * (S after the decision, top-up pending). From S < kappa H a cycle judges k verdicts; if S ends at or
 * above kappa H the cycle's range is topped up to the boost, so the next cycle judges (factor - 1) k
 * top-up verdicts before its own factor x k; from S >= kappa H a cycle judges factor x k. Each cycle
 * costs k / n days; the alarm can fire anywhere in a cycle (absorbing at H). Transitions are the
 * verdict chain raised to these powers (exact for a fixed count per cycle).
 * Under one verdict per cycle (the 5-minute daemon under 288 a day) the chain runs with k = 1 (a cycle
 * of one base verdict's time): the boost still follows S verdict by verdict, and a crossing's top-up is
 * counted as (factor - 1) whole verdicts, more than the (factor - 1) x n x interval the daemon draws, so
 * the budget holds with room (the verdict-step chain of boostedArlDays, which leaves the top-up out,
 * gives H one lower at 100 a day and a measured G2 of 0.34).
 */
export function restartArlDays(
  p: number,
  m: number,
  H: number,
  nBase: number,
  boost: BoostDesign,
  schedule: ActingSchedule,
  restart: RestartDesign,
): number {
  const n = Math.max(1, nBase);
  const k = Math.max(1, Math.round(verdictsPerCycle(n, schedule)));
  const S0 = startAt(Math.floor(restart.fraction * H), H);
  const burst = Math.max(restart.burstFactor, boost.factor);
  const cycleDays = k / n;
  const stepMs = Math.max(schedule.mode === 'nightly' ? DAY_MS : schedule.intervalMs, cycleDays * DAY_MS);
  const L = cycleChainArl(p, m, H, k, boost, cycleDays);
  // cycles whose sampler sees the change within burstMs (ceil: the change is applied late in its run)
  const burstCycles = Math.ceil(restart.burstMs / stepMs);
  let v = S0;
  let t = 0;
  for (let j = 0; j < burstCycles; j++) {
    t += sum(v) * cycleDays;
    for (let i = 0; i < burst * k; i++) v = cusumStep(v, p, m, H);
  }
  return finite(t + dot(v, L.subarray(0, H)));
}

/**
 * Mean days to the alarm from every state of the cycle chain (restartArlDays): index s for
 * (S = s, no top-up pending), H + s for (S = s, top-up pending).
 */
export function cycleChainArl(
  p: number,
  m: number,
  H: number,
  k: number,
  boost: BoostDesign,
  cycleDays: number,
): Float64Array {
  const f = Math.max(1, Math.round(boost.factor));
  const e = Math.ceil(boost.kappa * H);
  const A = verdictPower(p, m, H, k);
  const Af = matPow(A, f, H);
  const Atop = f > 1 ? matMul(Af, matPow(A, f - 1, H), H) : Af;
  const N = 2 * H;
  // (I - Q) L = cycleDays, dense
  const M = new Float64Array(N * N);
  const b = new Float64Array(N).fill(cycleDays);
  for (let s = 0; s < H; s++) {
    const low = s < e;
    const T = low ? A : Af;
    for (let t = 0; t < H; t++) {
      const col = low && t >= e ? H + t : t;
      M[s * N + col] -= T[s * H + t];
      M[(H + s) * N + t] -= Atop[s * H + t];
    }
  }
  for (let i = 0; i < N; i++) M[i * N + i] += 1;
  return solveDense(M, b, N);
}

/**
 * H for a class at nBase base judged verdicts a day under the acting schedule: the smallest H whose
 * mean days to a false alarm from the post-change restart (restartArlDays) meets every constraint of
 * the budget, so G1 and G2 hold by design with the boost as the schedule applies it and the restart
 * and burst that follow each routing change. Starts from the unboosted H (a lower bound), or from
 * `atLeast` when given (the result is then the smallest H >= atLeast that meets the budget).
 */
export function scheduledThreshold(
  nBase: number,
  targets: ThresholdTargets,
  boost: BoostDesign,
  schedule: ActingSchedule,
  restart: RestartDesign,
  opts: { hMax?: number; atLeast?: number } = {},
): number {
  const n = Math.max(1, nBase);
  const hMax = opts.hMax ?? 5_000;
  // the constraint that failed last is tried first (each check is a dense chain solve)
  const order = [...targets.constraints];
  const ok = (h: number) => {
    const i = order.findIndex(([p, days]) => restartArlDays(p, targets.m, h, n, boost, schedule, restart) < days);
    if (i > 0) order.unshift(...order.splice(i, 1));
    return i < 0;
  };
  // lo fails: the unboosted H is a lower bound; `atLeast` (a table builder's previous, smaller volume) is
  // taken as one, so a result never falls below it
  let lo = Math.max(recommendedThreshold(n, targets), opts.atLeast ?? 0) - 1;
  let step = opts.atLeast === undefined ? 8 : 4;
  let hi = lo + step;
  while (!ok(hi)) {
    lo = hi;
    step *= 2;
    hi = lo + step;
    if (hi > hMax) throw new RangeError(`scheduledThreshold: no H <= ${hMax} meets the budget at ${n}/day`);
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

function sum(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}

function dot(v: Float64Array, L: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * L[i];
  return s;
}

function finite(T: number): number {
  return Number.isFinite(T) && T > 0 && T < 1e13 ? T : Infinity;
}
