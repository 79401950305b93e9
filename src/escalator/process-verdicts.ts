import type { ClassState } from './class-state.js';
import { addSample, unitWeights } from '../stats/weighted-rate.js';

type Weights = NonNullable<ClassState['weights']>;

/** Equal weights for verdicts counted before weights were kept. */
function unitSums(n: number, failures: number): Omit<Weights, 'since'> {
  const u = unitWeights(n, failures);
  return { sumW: u.sumW, sumWFail: u.sumWFail, sumW2: u.sumW2, sumW2Fail: u.sumW2Fail };
}

function addWeight(w: Weights, failed: boolean, p: number | null): Weights {
  const c = addSample({ n: 0, failures: 0, ...w }, failed, p);
  return { since: w.since, sumW: c.sumW, sumWFail: c.sumWFail, sumW2: c.sumW2, sumW2Fail: c.sumW2Fail };
}
import type { JudgedVerdict } from './escalation-types.js';

/** What processing a batch found: whether S reached H (with enough samples) and how many verdicts counted. */
export interface ProcessResult {
  state: ClassState;
  /** S >= H was reached with at least minSamples verdicts (the first crossing freezes S). */
  alarmed: boolean;
  counted: number;
}

/**
 * Runs the Bernoulli CUSUM over new verdicts in request order: +m per failure, -1 per pass,
 * floored at 0. Verdicts before the monitored period are skipped; shadow verdicts since the
 * active escalation feed its shadow counts. While a change is pending, or after the first
 * crossing, S is frozen so the alarm persists until applied.
 */
export function processVerdicts(state: ClassState, verdicts: JudgedVerdict[], minSamples: number): ProcessResult {
  const s: ClassState = structuredClone(state);
  const active = s.escalations.at(-1);
  let alarmed = s.pending?.kind === 'escalate';
  let counted = 0;
  const since = Date.parse(s.since);
  for (const v of verdicts) {
    const t = Date.parse(v.ts);
    s.lastPosition = { ts: v.ts, seq: v.seq };
    if (v.shadow) {
      if (active && t >= Date.parse(active.shadowSince)) {
        active.shadowN++;
        if (v.failed) active.shadowFailures++;
      }
      continue;
    }
    if (t < since) continue;
    counted++;
    s.n++;
    if (v.failed) s.failures++;
    s.weights = addWeight(
      s.weights && s.weights.since === s.since
        ? s.weights
        : { since: s.since, ...unitSums(s.n - 1, s.failures - (v.failed ? 1 : 0)) },
      v.failed,
      v.inclusionProb ?? null,
    );
    if (alarmed) continue;
    s.S = Math.max(0, s.S + (v.failed ? s.m : -1));
    if (s.S >= s.H && s.n >= minSamples) alarmed = true;
  }
  // A crossing before minSamples counts once enough verdicts are in.
  if (!alarmed && s.S >= s.H && s.n >= minSamples) alarmed = true;
  return { state: s, alarmed, counted };
}
