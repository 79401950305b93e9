import type { ClassState, PendingChange } from './class-state.js';

/** Where the routing table currently puts a class. */
export interface ServedBy {
  tier: string;
  model: string;
  /** The table's model for each tier (to notice a new cheap-model version). */
  tierModels: Record<string, string>;
}

/**
 * Brings a stored state in line with the routing table: an applied pending change is recorded,
 * a tier moved by hand or a new model restarts monitoring, a new cheap model resets the shadow
 * evidence (and lifts the 7-day wait). Returns a new object; the input is not modified.
 */
export function reconcileState(stored: ClassState, served: ServedBy, now: Date, restartFraction: number): ClassState {
  let s: ClassState = structuredClone(stored);
  if (s.tier !== served.tier) {
    if (s.pending && s.pending.to === served.tier) return markApplied(s, s.pending, served.model, now, restartFraction);
    // a tier moved by hand is a routing change too: the notes' head start H/4
    s = restartMonitoring({ ...s, escalations: [], shadow: null }, served, now, Math.floor(s.H * restartFraction));
  } else if (s.model !== served.model) {
    // A new model on the same tier is a deployment: restart with the notes' head start H/4.
    s = restartMonitoring(s, served, now, Math.floor(s.H * restartFraction));
  }
  const active = s.escalations.at(-1);
  const cheap = active ? served.tierModels[active.fromTier] : undefined;
  if (active && cheap && cheap !== active.fromModel) {
    Object.assign(active, {
      fromModel: cheap,
      shadowN: 0,
      shadowFailures: 0,
      shadowSince: now.toISOString(),
      cheapModelChangedAt: now.toISOString(),
    });
    s.shadow = { tier: active.fromTier, model: cheap };
  }
  return s;
}

/**
 * The state after `change` was written to the routing table: every routing change restarts the
 * CUSUM with the notes' head start H x restartFraction (rule 3: burst and S0 = H/4 after any routing
 * change of the class), on the premium model after an escalation (the cheap one is shadow-judged),
 * on the cheap model after a de-escalation.
 */
export function markApplied(
  state: ClassState,
  change: PendingChange,
  newModel: string,
  now: Date,
  restartFraction: number,
): ClassState {
  const s: ClassState = structuredClone(state);
  const at = now.toISOString();
  if (change.kind === 'escalate') {
    s.escalations.push({
      at,
      fromTier: change.fromTier,
      fromModel: s.model,
      toTier: change.to,
      shadowN: 0,
      shadowFailures: 0,
      shadowSince: at,
      cheapModelChangedAt: null,
    });
    const next = restartMonitoring(s, { tier: change.to, model: newModel }, now, Math.floor(s.H * restartFraction));
    return { ...next, shadow: { tier: change.fromTier, model: state.model } };
  }
  s.escalations.pop();
  const outer = s.escalations.at(-1);
  if (outer) Object.assign(outer, { shadowN: 0, shadowFailures: 0, shadowSince: at });
  const next = restartMonitoring(s, { tier: change.to, model: newModel }, now, Math.floor(s.H * restartFraction));
  return { ...next, shadow: outer ? { tier: outer.fromTier, model: outer.fromModel } : null };
}

function restartMonitoring(s: ClassState, served: { tier: string; model: string }, now: Date, S: number): ClassState {
  return {
    ...s,
    tier: served.tier,
    model: served.model,
    S,
    n: 0,
    failures: 0,
    since: now.toISOString(),
    pending: null,
  };
}
