import { estimateFromReview } from '../../stats/judge-noise.js';
import { judgeScale } from '../../stats/judge-scale.js';
import { PERFECT_JUDGE, type EscalationPolicy, type JudgeRates } from '../escalation-policy.js';
import { seededRandom, type Random } from '../../stats/seeded-random.js';
import { runLiveClass, type ActingMode, type LiveRunSpec } from './live-class-run.js';
import { binomial } from './random-draws.js';

/** How the live path is simulated. */
export interface LiveOptions {
  seed: number;
  quick: boolean;
  /** Daemon interval (ms); default 5 min. */
  intervalMs: number;
  policy: EscalationPolicy;
  sampler: { floorPerDay: number; sqrtFactor: number };
  /** The judge's real fp / fn; with either above 0 the escalator gets rates estimated from a review per replicate. */
  judge: { fp: number; fn: number };
  /** Human review per replicate: judge-flagged items and passes (notes section 7). */
  review: { flags: number; passes: number };
  /** CPU work per figure (ms, estimated); default 120 quick, 3,000 full, times `effort`. */
  budgetMs?: number;
  /** Multiplies the default work (more days and replicates, narrower intervals). */
  effort?: number;
}

/** A false-escalation rate with its evidence: events over days at risk (not escalated), Poisson 95% interval. */
export interface EventRate {
  per30d: number;
  lower: number;
  upper: number;
  events: number;
  daysAtRisk: number;
}

/** A detection delay (days from the change to the applied escalation) and the judged samples it took. */
export interface LiveDelay {
  to: number;
  mean: number;
  p90: number;
  /** Judged verdicts of the cheap model from the change to the applied escalation (mean). */
  samples: number;
  replicates: number;
  /** Replicates that never escalated within the 60-day cap (counted at the cap). */
  censored: number;
}

/** The live policy's goal figures in one acting mode at one volume. */
export interface LiveFigures {
  mode: ActingMode;
  intervalMinutes: number | null;
  /** Requests per day of the class and the sampler's base judged volume (G7). */
  requestsPerDay: number;
  baseJudgedPerDay: number;
  /** Judge calls per day at 1.5% and 2% (boost, burst, top-up and shadow included). */
  judgeCallsPerDayAt1_5: number;
  judgeCallsPerDayAt2: number;
  /** G1, G2. */
  falseAt1_5: EventRate;
  falseAt2: EventRate;
  /** G3, G4, G5. */
  delays: LiveDelay[];
  /** G6: at exactly 3% for 90 days. */
  at3: {
    escalationsPer90d: number;
    firstEscalationDays: number | null;
    neverEscalated: number;
    wrongDeescalation90d: number;
    shareEscalated: number;
    replicates: number;
  };
}

const WARMUP_DAYS = 8;
const JUMPS = [0.04, 0.06, 0.1];
const PREMIUM_RATE = 0.005;

/**
 * Requests per day at which the sampler's allocation draws `judgedPerDay` a day: V = (n / c)^2 at or
 * above the floor (at the floor, the largest V the floor covers: 2,066 for 100 at c = 2.2), and V = n
 * under the floor (every event judged, so boost and burst have nothing to add).
 */
export function requestsForJudged(judgedPerDay: number, sampler: LiveOptions['sampler']): number {
  if (judgedPerDay < sampler.floorPerDay) return judgedPerDay;
  return Math.floor((judgedPerDay / sampler.sqrtFactor) ** 2);
}

/**
 * The live policy's G1-G7 figures at one base judged volume in one acting mode, by seeded Monte Carlo
 * of runLiveClass. Work is bounded per cell (quick: a fraction of a second of CPU; full: about 3 s x effort, 9 s for G1 and G2), so the
 * rarer events (G1 at high volume) come with wide intervals, which are reported.
 */
export function simulateLive(judgedPerDay: number, mode: ActingMode, o: LiveOptions): LiveFigures {
  const V = requestsForJudged(judgedPerDay, o.sampler);
  const msPerDay = 3e-3 * 2.2 * judgedPerDay + (mode === 'daemon' ? (3.5 * 300_000) / o.intervalMs : 0.02);
  const budgetMs = o.budgetMs ?? (o.quick ? 120 : 3_000) * (o.effort ?? 1);
  // G1 and G2 are rare events: their chains get three times the work of the other figures
  const steadyMs = 3 * budgetMs;
  const seedFor = (label: number) =>
    (o.seed ^ Math.imul(judgedPerDay, 0x9e3779b1) ^ Math.imul(label + (mode === 'daemon' ? 101 : 0), 0x85ebca6b)) >>> 0;
  const base = (rand: Random): Omit<LiveRunSpec, 'days' | 'cheapRate'> => ({
    mode,
    intervalMs: o.intervalMs,
    requestsPerDay: V,
    premiumRate: PREMIUM_RATE,
    judge: o.judge,
    judgeRates: reviewedJudge(o, rand),
    policy: o.policy,
    sampler: o.sampler,
  });

  // G1, G2: long chains at a constant rate (after a warm-up), false escalations per 30 days at risk
  const steady = (p: number, label: number) => {
    const days = Math.max(o.quick ? 120 : 300, Math.min(40_000, Math.round(steadyMs / msPerDay)));
    const chains = o.quick ? 1 : 4;
    let events = 0;
    let atRisk = 0;
    let judged = 0;
    let base0 = 0;
    for (let c = 0; c < chains; c++) {
      const rand = seededRandom(seedFor(label * 16 + c));
      const per = Math.round(days / chains);
      const r = runLiveClass({ ...base(rand), days: per + WARMUP_DAYS, cheapRate: () => p }, rand);
      const counted = r.escalations.filter((t) => t >= WARMUP_DAYS).length;
      events += counted;
      atRisk += per - escalatedAfter(r, WARMUP_DAYS);
      judged += r.judged + r.shadowJudged;
      base0 = r.baseJudgedPerDay;
    }
    return { rate: eventRate(events, atRisk), callsPerDay: judged / (days + chains * WARMUP_DAYS), base: base0 };
  };
  const s15 = steady(0.015, 1);
  const s2 = steady(0.02, 2);

  const delays = JUMPS.map((p1, i) =>
    liveDelay(
      judgedPerDay,
      mode,
      o,
      p1,
      Math.max(o.quick ? 12 : 40, Math.min(1000, Math.round(budgetMs / (msPerDay * (WARMUP_DAYS + 3))))),
      seedFor(10 + i),
    ),
  );

  // G6: 90 days at exactly 3% after a warm-up at 1.5%
  const reps3 = Math.max(o.quick ? 3 : 20, Math.min(1000, Math.round(budgetMs / (msPerDay * (WARMUP_DAYS + 90)))));
  const rand3 = seededRandom(seedFor(20));
  let esc = 0;
  let wrong = 0;
  let never = 0;
  let firstSum = 0;
  let escDays = 0;
  for (let k = 0; k < reps3; k++) {
    const r = runLiveClass(
      { ...base(rand3), days: WARMUP_DAYS + 90, cheapRate: (t) => (t < WARMUP_DAYS ? 0.015 : 0.03) },
      rand3,
    );
    const inWindow = r.escalations.filter((t) => t >= WARMUP_DAYS);
    esc += inWindow.length;
    if (r.deescalations.some((t) => t >= WARMUP_DAYS)) wrong++;
    if (inWindow.length === 0) never++;
    else firstSum += inWindow[0] - WARMUP_DAYS;
    escDays += escalatedAfter(r, WARMUP_DAYS);
  }
  return {
    mode,
    intervalMinutes: mode === 'daemon' ? o.intervalMs / 60_000 : null,
    requestsPerDay: V,
    baseJudgedPerDay: round(s15.base, 1),
    judgeCallsPerDayAt1_5: round(s15.callsPerDay, 1),
    judgeCallsPerDayAt2: round(s2.callsPerDay, 1),
    falseAt1_5: s15.rate,
    falseAt2: s2.rate,
    delays,
    at3: {
      escalationsPer90d: esc / reps3,
      firstEscalationDays: reps3 > never ? firstSum / (reps3 - never) : null,
      neverEscalated: never / reps3,
      wrongDeescalation90d: wrong / reps3,
      shareEscalated: escDays / reps3 / 90,
      replicates: reps3,
    },
  };
}

/**
 * Days from a jump 1% -> p1 (after the warm-up) until the live escalation is applied, over `reps`
 * replicates (a replicate that falsely escalated before the change is drawn again).
 */
export function liveDelay(
  judgedPerDay: number,
  mode: ActingMode,
  o: LiveOptions,
  p1: number,
  reps: number,
  seed: number,
): LiveDelay {
  const rand = seededRandom(seed);
  const V = requestsForJudged(judgedPerDay, o.sampler);
  const got: number[] = [];
  let samples = 0;
  let censored = 0;
  let tries = 0;
  while (got.length < reps && tries < reps * 3) {
    tries++;
    const r = runLiveClass(
      {
        mode,
        intervalMs: o.intervalMs,
        requestsPerDay: V,
        premiumRate: PREMIUM_RATE,
        judge: o.judge,
        judgeRates: reviewedJudge(o, rand),
        policy: o.policy,
        sampler: o.sampler,
        days: WARMUP_DAYS + 60,
        cheapRate: (t) => (t < WARMUP_DAYS ? 0.01 : p1),
        stopAfterEscalationFrom: WARMUP_DAYS,
      },
      rand,
    );
    if (r.escalations.some((t) => t < WARMUP_DAYS)) continue; // a false escalation before the change: not a delay sample
    const after = r.escalations.find((t) => t >= WARMUP_DAYS);
    if (after === undefined) censored++;
    got.push((after ?? WARMUP_DAYS + 60) - WARMUP_DAYS);
    samples += r.judgedSinceMark;
  }
  got.sort((x, y) => x - y);
  return {
    to: p1,
    mean: mean(got),
    p90: got[Math.ceil(0.9 * got.length) - 1] ?? NaN,
    samples: samples / Math.max(1, got.length),
    replicates: got.length,
    censored,
  };
}

/** The rates the escalator is given: a perfect judge, or fp/fn estimated from a human review drawn at 1.5%. */
function reviewedJudge(o: LiveOptions, rand: Random): JudgeRates {
  if (o.judge.fp === 0 && o.judge.fn === 0) return PERFECT_JUDGE;
  const p = 0.015;
  const f = judgeScale(p, o.judge);
  const ppv = ((1 - o.judge.fn) * p) / f;
  const forRate = (o.judge.fn * p) / (1 - f);
  const e = estimateFromReview({
    flagRate: f,
    reviewedFlags: o.review.flags,
    confirmedFlags: binomial(rand, o.review.flags, ppv),
    reviewedPasses: o.review.passes,
    missedErrors: binomial(rand, o.review.passes, forRate),
  });
  return {
    fp: e.fp ?? 0,
    fn: e.fn ?? 0.1,
    ...(e.fpInterval ? { fpInterval: e.fpInterval } : {}),
    ...(e.fnInterval ? { fnInterval: e.fnInterval } : {}),
    from: 'simulated review',
  };
}

/** Days escalated after `from` (the run's escalated time is counted from its applications). */
function escalatedAfter(r: ReturnType<typeof runLiveClass>, from: number): number {
  let total = 0;
  r.escalations.forEach((t, i) => {
    const end = r.deescalations[i] ?? r.daysRun;
    total += Math.max(0, end - Math.max(t, from));
  });
  return total;
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

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, x) => a + x, 0) / xs.length : NaN;
}

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
