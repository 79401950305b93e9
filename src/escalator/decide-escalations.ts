import { classEntry, modelFor, nextTier, type RoutingTable } from '../routing/routing-table.js';
import { wilsonUpper } from '../stats/binomial-interval.js';
import { unitWeights, weightedRate } from '../stats/weighted-rate.js';
import { conservativeJudge } from '../stats/judge-scale.js';
import { initialClassState, type ClassState, type PendingChange } from './class-state.js';
import { cusumWeight, judgeScale, PERFECT_JUDGE, type EscalationPolicy, type JudgeRates } from './escalation-policy.js';
import type { ClassInput, Decision, DecideInput, DecisionKind } from './escalation-types.js';
import { processVerdicts } from './process-verdicts.js';
import { reconcileState } from './reconcile-state.js';
import { thresholdForVolume, volumeMoved } from './threshold-for-volume.js';

const DAY_MS = 86_400_000;

/**
 * The pure decide step: per task class, run the Bernoulli CUSUM over its new verdicts and decide
 * escalate / hold / deescalate / insufficient with the evidence. Each decision carries the state
 * to persist; a change stays `pending` in it until an apply step writes the routing table.
 */
export function decideEscalations(input: DecideInput): Decision[] {
  return input.classes.map((c) => decideClass(c, input));
}

function decideClass(c: ClassInput, input: DecideInput): Decision {
  const { table, policy, now } = input;
  const entry = classEntry(table, c.taskType);
  const pinned = entry?.pinned === true;
  const served = modelFor(table, c.taskType);
  const judge = c.judge ?? PERFECT_JUDGE;
  const m = cusumWeight(policy, judge);
  let state = c.state
    ? reconcileState(c.state, { ...served, tierModels: table.tiers }, now, policy.deescalation.restartFraction)
    : initialClassState({ taskType: c.taskType, ...served, m, H: 1, volume: 0, now });
  if (volumeMoved(c.state ? state.volume : null, c.judgedPerDay, policy.volumeTolerance) || state.m !== m) {
    state = { ...state, m, H: thresholdForVolume(c.judgedPerDay, m, policy, judge), volume: c.judgedPerDay };
  }
  const processed = processVerdicts(state, c.verdicts, policy.minSamples);
  state = { ...processed.state, updatedAt: now.toISOString() };
  const dropped = obsoletePending(state, table, entry !== undefined);
  if (dropped) state = { ...state, pending: null };
  const outcome = entry
    ? decide(state, processed.alarmed, pinned, table, policy, judge, now)
    : unlisted(state, served.tier);
  // the monitored period's rate, design-weighted (equal weights for verdicts counted before weights were kept)
  const w = state.weights && state.weights.since === state.since ? state.weights : undefined;
  const rate = weightedRate(
    w ? { n: state.n, failures: state.failures, ...w } : unitWeights(state.n, state.failures),
    0.95,
  );
  const lastModel = c.verdicts.findLast((v) => !v.shadow)?.model;
  return {
    taskType: c.taskType,
    model: lastModel ?? state.model,
    tier: state.tier,
    ...outcome.result,
    sampled: c.sampled ?? state.n,
    judged: state.n,
    failures: state.failures,
    errorRate: rate.rate,
    lower: rate.lower,
    upper: rate.upper,
    nEff: rate.nEff,
    statistic: state.S,
    threshold: state.H,
    m: state.m,
    newVerdicts: processed.counted,
    pinned,
    ...(entry ? {} : { unlisted: true as const }),
    ...(dropped ? { droppedPending: dropped } : {}),
    ...(outcome.shadow ? { shadow: outcome.shadow } : {}),
    state: outcome.state,
  };
}

/**
 * A pending change that can no longer be applied: its class left the table, or its source or target
 * tier did. It is dropped (the caller audits it) instead of failing every later apply.
 */
function obsoletePending(
  s: ClassState,
  table: RoutingTable,
  listed: boolean,
): (PendingChange & { why: string }) | null {
  const p = s.pending;
  if (!p) return null;
  if (!listed) return { ...p, why: `task class "${s.taskType}" is no longer listed in the routing table` };
  for (const tier of [p.to, p.fromTier]) {
    if (!Object.hasOwn(table.tiers, tier))
      return { ...p, why: `tier "${tier}" is no longer listed in the routing table` };
  }
  return null;
}

/** A class the table does not list: measured and reported, never moved (driftwatch never appends entries). */
function unlisted(s: ClassState, tier: string): Outcome {
  return hold(
    s,
    `not listed in the routing table (served by tier "${tier}" by default): add it under taskClasses to let driftwatch move it`,
  );
}

type Outcome = {
  result: { decision: DecisionKind; to?: string; reason: string };
  state: ClassState;
  shadow?: Decision['shadow'];
};

function decide(
  s: ClassState,
  alarmed: boolean,
  pinned: boolean,
  table: RoutingTable,
  policy: EscalationPolicy,
  judge = PERFECT_JUDGE,
  now: Date,
): Outcome {
  // a measured judge is named even when it measured perfect (0 of n wrong), so the reason says whose rates these are
  const judgeNote =
    judge.fp > 0 || judge.fn > 0 || judge.from
      ? ` for a judge with fp ${pct(judge.fp)}, fn ${pct(judge.fn)}${judge.from ? ` (${judge.from})` : ''}`
      : '';
  const cusum = `S=${fmt(s.S)} ${s.S >= s.H ? '>=' : '<'} H=${s.H} (m=${s.m}${judgeNote}, ${s.n} judged, ${s.failures} failed)`;
  if (pinned)
    return hold(
      s,
      `pinned in the routing table: never moved automatically; ${cusum}${alarmed ? ', would escalate' : ''}`,
    );
  if (s.pending && s.pending.fromTier === s.tier) {
    // the evidence frozen at decision time, and what the class shows now
    const reason = `${s.pending.reason} [pending since ${s.pending.decidedAt}; now ${s.n} judged, ${s.failures} failed]`;
    return { result: { decision: s.pending.kind, to: s.pending.to, reason }, state: s };
  }
  if (alarmed) {
    const to = nextTier(table, s.tier);
    if (!to) {
      // Still report how the model it came from does in shadow, so the reader sees both sides.
      const shadow = deescalation(s, table, policy, judge, now)?.shadow;
      const note = shadow
        ? `; shadow ${shadow.failures}/${shadow.n} failed (99% upper bound ${pct(shadow.upper)})`
        : '';
      return { ...hold(s, `already at the top tier "${s.tier}": cannot escalate; ${cusum}${note}`), shadow };
    }
    const reason = `error rate above ${pct(policy.maxErrorRate)}: ${cusum}`;
    return {
      result: { decision: 'escalate', to, reason },
      state: { ...s, pending: { kind: 'escalate', fromTier: s.tier, to, decidedAt: now.toISOString(), reason } },
    };
  }
  const de = deescalation(s, table, policy, judge, now);
  if (de) return de;
  if (s.n < policy.minSamples)
    return { result: { decision: 'insufficient', reason: `${s.n} < ${policy.minSamples} samples` }, state: s };
  return hold(s, cusum);
}

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

function deescalation(
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

function hold(s: ClassState, reason: string): Outcome {
  return { result: { decision: 'hold', reason }, state: s };
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

function pct(x: number, digits = 2): string {
  return `${(x * 100).toFixed(digits)}%`;
}
