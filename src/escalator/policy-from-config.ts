import type { Config } from '../config/config-schema.js';
import { DEFAULT_POLICY, type EscalationPolicy, type JudgeRates } from './escalation-policy.js';

/** The escalation policy with driftwatch.yaml's `escalation` section applied. */
export function policyFromConfig(config: Config): EscalationPolicy {
  return { ...DEFAULT_POLICY, maxErrorRate: config.escalation.maxErrorRate, minSamples: config.escalation.minSamples };
}

/** The calibrated judge rates for a class: its override, else the section's default. */
export function judgeRatesFromConfig(config: Config): (taskType: string) => JudgeRates {
  return (taskType) => config.escalation.classJudgeErrorRates[taskType] ?? config.escalation.judgeErrorRates;
}
