import { estimateFromReview } from '../../stats/judge-noise.js';
import { judgeScale } from '../../stats/judge-scale.js';
import type { Random } from '../../stats/seeded-random.js';
import { PERFECT_JUDGE, type EscalationPolicy, type JudgeRates } from '../escalation-policy.js';
import type { ActingMode, LiveRunResult, LiveRunSpec } from './live-path.js';
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

/** Days of warm-up before anything is counted (the sampler's trailing volume and H settle). */
export const WARMUP_DAYS = 8;
/** True error rate of the premium model. */
export const PREMIUM_RATE = 0.005;

/**
 * Requests per day at which the sampler's allocation draws `judgedPerDay` a day: V = (n / c)^2 at or
 * above the floor (at the floor, the largest V the floor covers: 2,066 for 100 at c = 2.2), and V = n
 * under the floor (every event judged, so boost and burst have nothing to add).
 */
export function requestsForJudged(judgedPerDay: number, sampler: LiveOptions['sampler']): number {
  if (judgedPerDay < sampler.floorPerDay) return judgedPerDay;
  return Math.floor((judgedPerDay / sampler.sqrtFactor) ** 2);
}

/** The options' policy acting in `mode` (nightly, or the daemon at o.intervalMs). */
export function actingPolicy(o: Pick<LiveOptions, 'policy' | 'intervalMs'>, mode: ActingMode): EscalationPolicy {
  return {
    ...o.policy,
    acting: mode === 'daemon' ? { mode: 'daemon', intervalMs: o.intervalMs } : { mode: 'nightly' },
  };
}

/** A run of one class at `judgedPerDay` in `mode` (the policy knows the schedule it acts on), minus days and rates. */
export function liveSpec(
  judgedPerDay: number,
  mode: ActingMode,
  o: LiveOptions,
  rand: Random,
): Omit<LiveRunSpec, 'days' | 'cheapRate'> {
  return {
    mode,
    intervalMs: o.intervalMs,
    requestsPerDay: requestsForJudged(judgedPerDay, o.sampler),
    premiumRate: PREMIUM_RATE,
    judge: o.judge,
    judgeRates: reviewedJudge(o, rand),
    policy: actingPolicy(o, mode),
    sampler: o.sampler,
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
export function escalatedAfter(r: LiveRunResult, from: number): number {
  let total = 0;
  r.escalations.forEach((t, i) => {
    const end = r.deescalations[i] ?? r.daysRun;
    total += Math.max(0, end - Math.max(t, from));
  });
  return total;
}
