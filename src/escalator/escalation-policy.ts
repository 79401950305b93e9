import { ELEVATED_BOOST, ELEVATED_KAPPA } from '../sampler/sample-boost.js';
import { judgeScale, type JudgeRates } from '../stats/judge-scale.js';
import type { ActingSchedule } from './schedule-threshold.js';

export type { ActingSchedule } from './schedule-threshold.js';

/**
 * The escalation procedure's parameters (escalation-statistics.md section 7). Rates are on the
 * true-error scale; `judgeScale` maps them onto the judge's flag scale.
 */
export interface EscalationPolicy {
  /** Business threshold p*: the CUSUM's break-even error rate (1/33 = 3.03%). */
  maxErrorRate: number;
  /** False-alarm budget: ARL >= days x judged/day at each true error rate. */
  falseAlarmBudget: FalseAlarmBudget;
  /**
   * The budget H is calibrated to when `acting` is a daemon schedule (absent = falseAlarmBudget). The
   * default has a safety margin at 2% (100 d instead of 90): the live 5-minute daemon at 500 a day ran
   * about 9% above its cycle chain's design value (unexplained; docs/acting-schedule-threshold.md).
   */
  daemonFalseAlarmBudget?: FalseAlarmBudget;
  /** No decision before this many judged verdicts of the monitored model. */
  minSamples: number;
  /** Recalibrate H when the daily judged volume moves by more than this share. */
  volumeTolerance: number;
  /**
   * The sampler's adaptive boost (factor x the base rate while S >= kappa H). H is calibrated for the
   * base judged volume with this boost in the false-alarm budget; absent = no boost.
   */
  boost?: { factor: number; kappa: number };
  /**
   * When decisions are made and acted on: nightly (default) or a daemon cycle every intervalMs. With a
   * boost, H is calibrated for this schedule (schedule-threshold.ts): the boost is set per cycle, and
   * the restart and burst after each routing change are in the false-alarm budget.
   */
  acting?: ActingSchedule;
  deescalation: {
    minDays: number;
    minShadow: number;
    /** One-sided Wilson level of the upper bound on the shadow error rate. */
    level: number;
    /** True-scale rate the bound must be under (mapped with q). */
    below: number;
    /** The CUSUM restarts at this fraction of H after any routing change of the class (escalation, de-escalation, new model, hand move). */
    restartFraction: number;
  };
}

/** [true error rate, minimum mean days to a false alarm] pairs. */
export type FalseAlarmBudget = ReadonlyArray<readonly [rate: number, days: number]>;

/** The notes' recommended defaults, with the daemon's 2% margin (daemonFalseAlarmBudget). */
export const DEFAULT_POLICY: EscalationPolicy = {
  maxErrorRate: 1 / 33,
  falseAlarmBudget: [
    [0.015, 365],
    [0.02, 90],
  ],
  daemonFalseAlarmBudget: [
    [0.015, 365],
    [0.02, 100],
  ],
  minSamples: 50,
  volumeTolerance: 0.3,
  boost: { factor: ELEVATED_BOOST, kappa: ELEVATED_KAPPA },
  deescalation: { minDays: 7, minShadow: 100, level: 0.99, below: 0.03, restartFraction: 0.25 },
};

// the one judge-rates type and q(p) live in stats/judge-scale.ts; re-exported for the escalator's modules
export { judgeScale, PERFECT_JUDGE, type JudgeRates } from '../stats/judge-scale.js';

/** CUSUM failure weight m = round(1/q(p*) - 1): 32 for a perfect judge at p* = 3.03%. */
export function cusumWeight(policy: EscalationPolicy, judge: JudgeRates): number {
  return Math.max(1, Math.round(1 / judgeScale(policy.maxErrorRate, judge) - 1));
}

/** The false-alarm budget H is calibrated to under `acting` (default nightly): the daemon's when it has one. */
export function falseAlarmBudgetFor(policy: EscalationPolicy, acting: ActingSchedule | undefined): FalseAlarmBudget {
  return acting?.mode === 'daemon'
    ? (policy.daemonFalseAlarmBudget ?? policy.falseAlarmBudget)
    : policy.falseAlarmBudget;
}
