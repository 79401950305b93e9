import type { Config } from '../config/config-schema.js';
import { DEFAULT_POLICY, type EscalationPolicy } from './escalation-policy.js';

/** The escalation policy with driftwatch.yaml's `escalation` section applied. */
export function policyFromConfig(config: Config): EscalationPolicy {
  return { ...DEFAULT_POLICY, maxErrorRate: config.escalation.maxErrorRate, minSamples: config.escalation.minSamples };
}
