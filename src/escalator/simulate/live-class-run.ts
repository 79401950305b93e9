import type { RoutingTable } from '../../routing/routing-table.js';
import type { CusumState } from '../../sampler/sample-boost.js';
import type { ClassState } from '../class-state.js';
import type { JudgedVerdict } from '../escalation-types.js';
import type { Random } from '../../stats/seeded-random.js';
import { JudgedVolume } from './judged-volume.js';
import { LIVE_PATH, type LivePath, type LiveRunResult, type LiveRunSpec } from './live-path.js';
import {
  baseJudged,
  CHEAP,
  DAY_MS,
  type DrawContext,
  drawCycle,
  EPOCH,
  PREMIUM,
  type Strata,
  TASK,
  topUpRanges,
} from './live-sampler.js';

export { LIVE_PATH, type ActingMode, type LivePath, type LiveRunResult, type LiveRunSpec } from './live-path.js';

/** The mutable state of one run between cycles. */
interface Run extends DrawContext {
  table: RoutingTable;
  lastChange: Record<string, Date>;
  volume: JudgedVolume;
  state: ClassState | null;
  /** Top-up samples, judged by the next cycle. */
  pending: JudgedVerdict[];
  escalatedSince: number | null;
  waitFlipped: boolean;
  /** Event time (ms) from which judged verdicts are counted toward judgedSinceMark and escalations stop the run. */
  mark: number;
  out: LiveRunResult;
}

/**
 * Runs one task class through the live path, cycle by cycle, calling the live functions: the
 * day's fixed rate (expectedDailyVolume + stratumBaseRate), the per-run allocation with boost and burst
 * (computeBoost + allocateSample), the judge-scale decide step (decideEscalations: volume-driven H,
 * minSamples, judge rates), applying a change (markApplied, as runEscalation's apply does), and the
 * same-run boost top-up (topUpBoost's rule, judged by the next cycle). Only the SQL reads are mirrored
 * here: the judged volume per day (loadJudgedVolumes) and the stratum bookkeeping (fixStratumRates).
 */
export function runLiveClass(spec: LiveRunSpec, rand: Random, live: LivePath = LIVE_PATH): LiveRunResult {
  const run = startRun(spec, rand, live);
  const stepMs = spec.mode === 'nightly' ? DAY_MS : spec.intervalMs;
  const endMs = spec.days * DAY_MS;
  for (let start = 0; start < endMs; start += stepMs) {
    const end = Math.min(endMs, start + stepMs);
    if (runCycle(run, start, end)) return finish(run, end);
  }
  if (run.escalatedSince !== null) run.out.escalatedDays += (endMs - run.escalatedSince) / DAY_MS;
  return finish(run, endMs);
}

function startRun(spec: LiveRunSpec, rand: Random, live: LivePath): Run {
  let seq = 0;
  const strata: Strata = { routing: new Map(), shadow: new Map() };
  return {
    spec,
    live,
    rand,
    strata,
    nextSeq: () => seq++,
    table: { version: 1, tiers: { standard: CHEAP, critical: PREMIUM }, taskClasses: { [TASK]: { tier: 'standard' } } },
    lastChange: {},
    volume: new JudgedVolume(),
    state: null,
    pending: [],
    escalatedSince: null,
    waitFlipped: false,
    mark: spec.stopAfterEscalationFrom === undefined ? Infinity : spec.stopAfterEscalationFrom * DAY_MS,
    out: {
      escalations: [],
      deescalations: [],
      escalatedDays: 0,
      judged: 0,
      shadowJudged: 0,
      judgedSinceMark: 0,
      baseJudgedPerDay: 0,
      daysRun: 0,
    },
  };
}

function finish(run: Run, endMs: number): LiveRunResult {
  run.out.daysRun = endMs / DAY_MS;
  run.out.baseJudgedPerDay = baseJudged(run.strata.routing, run.spec.requestsPerDay);
  return run.out;
}

/** One sampler + decide cycle over [start, end); true when the run stops (an escalation after the mark). */
function runCycle(run: Run, start: number, end: number): boolean {
  const { live } = run;
  const now = new Date(EPOCH + end);
  const escalated = run.table.taskClasses[TASK].tier !== 'standard';
  const cusum = (s: ClassState | null): Record<string, CusumState> => (s ? { [TASK]: { S: s.S, H: s.H } } : {});
  const boost = live.computeBoost([TASK], cusum(run.state), run.lastChange, now)[TASK];
  const { fresh, ranges } = drawCycle(run, start, end, now, boost, escalated);
  const verdicts = run.pending.length > 0 ? [...run.pending, ...fresh] : fresh;
  run.pending = [];
  countVerdicts(run, verdicts, escalated);
  // an empty cycle changes no state (same verdicts, same volume, same routing) unless the 7-day wait just ended
  const waitNow =
    run.escalatedSince !== null && end - run.escalatedSince >= run.spec.policy.deescalation.minDays * DAY_MS;
  const mustDecide = verdicts.length > 0 || run.state === null || (waitNow && !run.waitFlipped);
  if (waitNow) run.waitFlipped = true;
  if (mustDecide && decideCycle(run, verdicts, now, end)) return true;
  // same-run boost (topUpBoost): S rose past kappa H in this decision, so the range just drawn is drawn again at the new rate
  if (run.state) {
    const raised = live.computeBoost([TASK], cusum(run.state), run.lastChange, now)[TASK];
    if (raised > boost) run.pending = topUpRanges(run, ranges, raised, escalated, run.volume);
  }
  return false;
}

/** Counts the cycle's verdicts and feeds the routed ones to the judged-volume window. */
function countVerdicts(run: Run, verdicts: JudgedVerdict[], escalated: boolean): void {
  const { out, volume, strata } = run;
  for (const v of verdicts) {
    if (v.shadow) {
      out.shadowJudged++;
      continue;
    }
    out.judged++;
    const t = Date.parse(v.ts) - EPOCH;
    volume.add(t, strata.routing.get(Math.floor(t / DAY_MS))?.baseRate ?? v.inclusionProb ?? 1, v.inclusionProb ?? 1);
    if (t >= run.mark && !escalated) out.judgedSinceMark++;
  }
}

/** The decide step and, for a change, its application; true when the run stops. */
function decideCycle(run: Run, verdicts: JudgedVerdict[], now: Date, end: number): boolean {
  const { live, spec, table, out } = run;
  const policy = spec.policy;
  const [d] = live.decideEscalations({
    now,
    table,
    policy,
    classes: [
      { taskType: TASK, verdicts, state: run.state, judgedPerDay: run.volume.perDay(), judge: spec.judgeRates },
    ],
  });
  run.state = d.state;
  if (!((d.decision === 'escalate' || d.decision === 'deescalate') && d.to && d.state.pending)) return false;
  // the daemon and nightly --apply write the table in the same run; the change bursts the class for 48 h
  const toTier = d.to;
  table.taskClasses[TASK] = { tier: toTier };
  run.state = live.markApplied(d.state, d.state.pending, table.tiers[toTier], now, policy.deescalation.restartFraction);
  run.lastChange[TASK] = now;
  if (d.decision === 'escalate') {
    out.escalations.push(end / DAY_MS);
    run.escalatedSince = end;
    run.waitFlipped = false;
    return end >= run.mark;
  }
  out.deescalations.push(end / DAY_MS);
  if (run.escalatedSince !== null) out.escalatedDays += (end - run.escalatedSince) / DAY_MS;
  run.escalatedSince = null;
  return false;
}
