import type { Config } from '../config/config-schema.js';
import { DEFAULT_POLICY, type ActingSchedule, type EscalationPolicy } from './escalation-policy.js';
import { NIGHTLY } from './schedule-threshold.js';

/**
 * The escalation policy with driftwatch.yaml's `escalation` section applied, acting on `acting`
 * (nightly by default; the daemon passes its interval), which H is calibrated for.
 */
export function policyFromConfig(config: Config, acting: ActingSchedule = NIGHTLY): EscalationPolicy {
  return {
    ...DEFAULT_POLICY,
    maxErrorRate: config.escalation.maxErrorRate,
    minSamples: config.escalation.minSamples,
    acting,
  };
}
