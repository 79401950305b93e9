import { allocateSample, expectedDailyVolume, stratumBaseRate } from '../../sampler/allocate-sample.js';
import { computeBoost } from '../../sampler/sample-boost.js';
import { decideEscalations } from '../decide-escalations.js';
import type { EscalationPolicy, JudgeRates } from '../escalation-policy.js';
import { markApplied } from '../reconcile-state.js';

/** When the escalator runs: once a day after the day's events, or a daemon cycle every interval. */
export type ActingMode = 'nightly' | 'daemon';

/** One simulated task class under the live policy. */
export interface LiveRunSpec {
  mode: ActingMode;
  /** Daemon interval (ignored for nightly). */
  intervalMs: number;
  /** Requests of the class per day (the sampler's volume V); arrivals are Poisson. */
  requestsPerDay: number;
  days: number;
  /** True error rate of the cheap model at time t (days from the start). */
  cheapRate: (tDays: number) => number;
  /** True error rate of the premium model (served while escalated). */
  premiumRate: number;
  /** The judge's real error rates (flags are drawn at q(p) = fp + (1 - fp - fn) p). */
  judge: { fp: number; fn: number };
  /** The rates the escalator is given (perfect, or estimated from a review). */
  judgeRates: JudgeRates;
  policy: EscalationPolicy;
  sampler: { floorPerDay: number; sqrtFactor: number };
  /** Stop at the first escalation applied at or after this time (days). */
  stopAfterEscalationFrom?: number;
}

/** What happened in one run. */
export interface LiveRunResult {
  /** Times (days) escalations and de-escalations were applied. */
  escalations: number[];
  deescalations: number[];
  /** Days spent escalated (routing at the premium tier). */
  escalatedDays: number;
  /** Judged verdicts (not shadow, shadow). */
  judged: number;
  shadowJudged: number;
  /** Judged verdicts of the cheap model (not shadow) with event time >= stopAfterEscalationFrom, up to the stop. */
  judgedSinceMark: number;
  /** The base judged volume per day the sampler's allocation gives (the day rate x V at the first fixed day). */
  baseJudgedPerDay: number;
  /** Days simulated (up to the stop). */
  daysRun: number;
}

/**
 * The live functions the simulation calls. The defaults are the production ones (the same objects the
 * sampler, nightly and daemon import); tests swap one to show the figures follow it.
 */
export interface LivePath {
  computeBoost: typeof computeBoost;
  allocateSample: typeof allocateSample;
  stratumBaseRate: typeof stratumBaseRate;
  expectedDailyVolume: typeof expectedDailyVolume;
  decideEscalations: typeof decideEscalations;
  markApplied: typeof markApplied;
}

export const LIVE_PATH: LivePath = {
  computeBoost,
  allocateSample,
  stratumBaseRate,
  expectedDailyVolume,
  decideEscalations,
  markApplied,
};
