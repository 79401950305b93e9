import type { RoutingTable } from '../routing/routing-table.js';
import { wilsonUpper } from '../stats/binomial-interval.js';
import { conservativeJudge } from '../stats/judge-scale.js';
import type { ClassState } from './class-state.js';
import { judgeScale, PERFECT_JUDGE, type EscalationPolicy, type JudgeRates } from './escalation-policy.js';
import type { Decision, DecisionKind } from './escalation-types.js';

const DAY_MS = 86_400_000;

/** What the decide step returns for one class before the common fields are added. */
export type Outcome = {
  result: { decision: DecisionKind; to?: string; reason: string };
  state: ClassState;
  shadow?: Decision['shadow'];
};

/** The outcome of the de-escalation rule on the shadow evidence (pure; the simulations call it). */
export interface DeescalationCheck {
  ok: boolean;
  /** One-sided Wilson upper bound of the shadow flag rate at policy.deescalation.level. */
  upper: number;
  /** q(below) on the judge's flag scale with the judge's conservative ends (lowest fp, highest fn). */
  bound: number;
  waited: boolean;
  enough: boolean;
}

/**
 * The hysteresis rule: >= minDays escalated (or a new cheap model), >= minShadow shadow verdicts,
 * and the Wilson upper bound under q(3%). q is taken at the conservative ends of the judge's fp/fn
 * intervals (fp lower, fn upper: the smallest bound), so an uncertain judge calibration cannot
 * return a class to a model that still fails at the threshold (goal G6).
 */
export function deescalationCheck(
  shadow: { n: number; failures: number },
  daysEscalated: number,
  cheapModelChanged: boolean,
  policy: EscalationPolicy,
  judge: JudgeRates = PERFECT_JUDGE,
): DeescalationCheck {
  const d = policy.deescalation;
  const upper = wilsonUpper(shadow.failures, shadow.n, d.level);
  const bound = judgeScale(d.below, conservativeJudge(judge));
  const waited = daysEscalated >= d.minDays || cheapModelChanged;
  const enough = shadow.n >= d.minShadow;
  return { ok: waited && enough && upper < bound, upper, bound, waited, enough };
}

/** The de-escalation step of an escalated class: a pending de-escalation, or a hold with the shadow evidence. */
export function deescalation(
  s: ClassState,
  table: RoutingTable,
  policy: EscalationPolicy,
  judge = PERFECT_JUDGE,
  now: Date,
): Outcome | null {
  const active = s.escalations.at(-1);
  if (!active) return null;
  if (!Object.hasOwn(table.tiers, active.fromTier))
    return hold(
      s,
      `escalated from tier "${active.fromTier}", which the routing table no longer lists: cannot move back down`,
    );
  const d = policy.deescalation;
  const days = (now.getTime() - Date.parse(active.at)) / DAY_MS;
  const check = deescalationCheck(
    { n: active.shadowN, failures: active.shadowFailures },
    days,
    active.cheapModelChangedAt !== null,
    policy,
    judge,
  );
  const { upper, bound, waited } = check;
  const shadow = { n: active.shadowN, failures: active.shadowFailures, upper, bound, daysEscalated: days };
  const evidence = `shadow ${active.shadowFailures}/${active.shadowN} failed, ${pct(d.level, 0)} upper bound ${pct(upper)} vs ${pct(bound)}${judge.fpInterval || judge.fnInterval ? ' (judge fp/fn at their conservative ends)' : ''}; escalated ${days.toFixed(1)} d ago`;
  if (check.ok) {
    const reason = `cheap model ${active.fromModel} recovered: ${evidence}`;
    const pending = {
      kind: 'deescalate' as const,
      fromTier: s.tier,
      to: active.fromTier,
      decidedAt: now.toISOString(),
      reason,
    };
    return { result: { decision: 'deescalate', to: active.fromTier, reason }, state: { ...s, pending }, shadow };
  }
  const why = !waited
    ? `wait ${d.minDays} d or a new cheap model`
    : active.shadowN < d.minShadow
      ? `need ${d.minShadow} shadow verdicts`
      : 'bound not under the target';
  return { ...hold(s, `escalated from ${active.fromTier}; ${why}: ${evidence}`), shadow };
}

export function hold(s: ClassState, reason: string): Outcome {
  return { result: { decision: 'hold', reason }, state: s };
}

export function pct(x: number, digits = 2): string {
  return `${(x * 100).toFixed(digits)}%`;
}
