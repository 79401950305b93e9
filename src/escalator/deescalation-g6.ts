import { deescalationCheck } from './deescalation-rule.js';
import { estimateFromReview } from '../stats/judge-noise.js';
import { judgeScale } from '../stats/judge-scale.js';
import { DEFAULT_POLICY, type EscalationPolicy, type JudgeRates } from './escalation-policy.js';
import { seededRandom, type Random } from '../stats/seeded-random.js';

/** Settings of the wrong-de-escalation simulation (goal G6). */
export interface G6Options {
  reps: number;
  /** True error rate of the cheap model while escalated (3%: de-escalating is wrong). */
  trueRate: number;
  fp: number;
  fn: number;
  /** Shadow verdicts per day. */
  perDay: number;
  days?: number;
  reviewedFlags?: number;
  reviewedPasses?: number;
  /** Force the review to find no missed error (the case the issue names). */
  zeroMissed?: boolean;
  /** 'live': estimateFromReview + deescalationCheck; 'plug-in': the old point estimates (fn = 0 when nothing was missed). */
  estimator: 'live' | 'plug-in';
  seed?: number;
  policy?: EscalationPolicy;
}

/** What the simulation found. */
export interface G6Result {
  /** P(de-escalated within `days`). */
  deescalated: number;
  /** Mean fn estimate over the reviews. */
  meanFn: number;
  /** Share of reviews with an fn estimate of exactly 0. */
  fnZero: number;
}

/**
 * A class escalated at day 0 whose cheap model fails at `trueRate`; the judge has fp/fn. Each rep
 * draws a human review (reviewedFlags judge flags, reviewedPasses passes) of the cheap model's
 * verdicts, estimates fp/fn from it, then feeds `perDay` shadow verdicts a night and applies the
 * live de-escalation rule every night for `days` nights. Pure and seeded.
 */
export function simulateWrongDeescalation(o: G6Options): G6Result {
  const rnd = seededRandom(o.seed ?? 6);
  const policy = o.policy ?? DEFAULT_POLICY;
  const days = o.days ?? 90;
  const rf = o.reviewedFlags ?? 50;
  const rp = o.reviewedPasses ?? 200;
  const f = judgeScale(o.trueRate, o);
  const ppv = ((1 - o.fn) * o.trueRate) / f;
  const forRate = (o.fn * o.trueRate) / (1 - f);
  let hits = 0;
  let fnSum = 0;
  let fnZero = 0;
  for (let rep = 0; rep < o.reps; rep++) {
    const confirmed = binomial(rnd, rf, ppv);
    const missed = o.zeroMissed ? 0 : binomial(rnd, rp, forRate);
    const counts = {
      flagRate: f,
      reviewedFlags: rf,
      confirmedFlags: confirmed,
      reviewedPasses: rp,
      missedErrors: missed,
    };
    const judge = o.estimator === 'live' ? liveJudge(counts) : plugInJudge(counts);
    fnSum += judge.fn;
    if (judge.fn === 0) fnZero++;
    let n = 0;
    let failures = 0;
    for (let d = 1; d <= days; d++) {
      n += o.perDay;
      failures += binomial(rnd, o.perDay, f);
      if (deescalationCheck({ n, failures }, d, false, policy, judge).ok) {
        hits++;
        break;
      }
    }
  }
  return { deescalated: hits / o.reps, meanFn: fnSum / o.reps, fnZero: fnZero / o.reps };
}

function liveJudge(c: Parameters<typeof estimateFromReview>[0]): JudgeRates {
  const e = estimateFromReview(c);
  return {
    fp: e.fp ?? 0,
    fn: e.fn ?? 0.1,
    ...(e.fpInterval ? { fpInterval: e.fpInterval } : {}),
    ...(e.fnInterval ? { fnInterval: e.fnInterval } : {}),
  };
}

/** The estimator before issue 11: observed PPV and FOR plugged in, no intervals (fn = 0 with no missed error). */
function plugInJudge(c: Parameters<typeof estimateFromReview>[0]): JudgeRates {
  const ppv = c.confirmedFlags / c.reviewedFlags;
  const fr = c.missedErrors / c.reviewedPasses;
  const p = c.flagRate * ppv + (1 - c.flagRate) * fr;
  return { fp: (c.flagRate * (1 - ppv)) / (1 - p), fn: ((1 - c.flagRate) * fr) / p };
}

/** Binomial(n, p) draw: inversion for small n p, normal approximation above. */
function binomial(rnd: Random, n: number, p: number): number {
  if (n * p < 30) {
    let k = 0;
    for (let i = 0; i < n; i++) if (rnd() < p) k++;
    return k;
  }
  const u = Math.max(1e-12, rnd());
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  return Math.min(n, Math.max(0, Math.round(n * p + z * Math.sqrt(n * p * (1 - p)))));
}
