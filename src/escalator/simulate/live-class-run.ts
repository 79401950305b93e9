import type { RoutingTable } from '../../routing/routing-table.js';
import { allocateSample, expectedDailyVolume, stratumBaseRate } from '../../sampler/allocate-sample.js';
import { computeBoost } from '../../sampler/sample-boost.js';
import { judgeScale } from '../../stats/judge-scale.js';
import type { ClassState } from '../class-state.js';
import { decideEscalations } from '../decide-escalations.js';
import type { EscalationPolicy, JudgeRates } from '../escalation-policy.js';
import type { JudgedVerdict } from '../escalation-types.js';
import { markApplied } from '../reconcile-state.js';
import type { Random } from '../../stats/seeded-random.js';
import { binomial, poisson } from './random-draws.js';

const DAY_MS = 86_400_000;
const TASK = 'simulated';
const CHEAP = 'cheap-model';
const PREMIUM = 'premium-model';
/** Simulated time starts here (a UTC midnight); only differences matter. */
const EPOCH = Date.parse('2026-01-01T00:00:00Z');

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

interface DayStratum {
  baseRate: number;
  volumeSeen: number;
  /** allocateSample's rate per boost for this day (pure in the base rate and the boost, so kept). */
  rates: Map<number, number>;
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
  const table: RoutingTable = {
    version: 1,
    tiers: { standard: CHEAP, critical: PREMIUM },
    taskClasses: { [TASK]: { tier: 'standard' } },
  };
  const policy = spec.policy;
  const stepMs = spec.mode === 'nightly' ? DAY_MS : spec.intervalMs;
  const endMs = spec.days * DAY_MS;
  const strata = { routing: new Map<number, DayStratum>(), shadow: new Map<number, DayStratum>() };
  const lastChange: Record<string, Date> = {};
  const volume = new JudgedVolume();
  let state: ClassState | null = null;
  let pending: JudgedVerdict[] = []; // top-up samples, judged by the next cycle
  let seq = 0;
  let escalatedSince: number | null = null;
  let waitFlipped = false;
  const out: LiveRunResult = {
    escalations: [],
    deescalations: [],
    escalatedDays: 0,
    judged: 0,
    shadowJudged: 0,
    judgedSinceMark: 0,
    baseJudgedPerDay: 0,
    daysRun: 0,
  };
  const mark = spec.stopAfterEscalationFrom === undefined ? Infinity : spec.stopAfterEscalationFrom * DAY_MS;

  for (let start = 0; start < endMs; start += stepMs) {
    const end = Math.min(endMs, start + stepMs);
    const now = new Date(EPOCH + end);
    const escalated = table.taskClasses[TASK].tier !== 'standard';
    const boost = live.computeBoost([TASK], state ? { [TASK]: { S: state.S, H: state.H } } : {}, lastChange, now);
    // the sampler: this cycle's range, per UTC day, at the day's fixed rate times the boost
    const fresh: JudgedVerdict[] = [];
    const ranges: { day: number; events: number; sampled: number; rate: number; from: number; to: number }[] = [];
    for (let a = start; a < end; ) {
      const day = Math.floor(a / DAY_MS);
      const b = Math.min(end, (day + 1) * DAY_MS);
      const events = poisson(rand, (spec.requestsPerDay * (b - a)) / DAY_MS);
      const rate = allocatedRate(live, strata.routing, day, events, b, now, boost[TASK], spec.sampler);
      const sampled = binomial(rand, events, rate);
      ranges.push({ day, events, sampled, rate, from: a, to: b });
      addVerdicts(
        fresh,
        rand,
        sampled,
        a,
        b,
        rate,
        false,
        escalated ? PREMIUM : table.tiers.standard,
        (t) => (escalated ? spec.premiumRate : spec.cheapRate(t / DAY_MS)),
        spec.judge,
        () => seq++,
      );
      if (escalated) {
        // the app runs the cheap model in shadow on every request while escalated (metadata.shadow)
        const sEvents = poisson(rand, (spec.requestsPerDay * (b - a)) / DAY_MS);
        const sRate = allocatedRate(live, strata.shadow, day, sEvents, b, now, boost[TASK], spec.sampler);
        addVerdicts(
          fresh,
          rand,
          binomial(rand, sEvents, sRate),
          a,
          b,
          sRate,
          true,
          table.tiers.standard,
          (t) => spec.cheapRate(t / DAY_MS),
          spec.judge,
          () => seq++,
        );
      }
      a = b;
    }
    fresh.sort((x, y) => x.seq - y.seq);
    const verdicts = pending.length > 0 ? [...pending, ...fresh] : fresh;
    pending = [];
    for (const v of verdicts) {
      if (v.shadow) out.shadowJudged++;
      else {
        out.judged++;
        const t = Date.parse(v.ts) - EPOCH;
        volume.add(
          t,
          strata.routing.get(Math.floor(t / DAY_MS))?.baseRate ?? v.inclusionProb ?? 1,
          v.inclusionProb ?? 1,
        );
        if (t >= mark && !escalated) out.judgedSinceMark++;
      }
    }
    // an empty cycle changes no state (same verdicts, same volume, same routing) unless the 7-day wait just ended
    const waitNow = escalatedSince !== null && end - escalatedSince >= policy.deescalation.minDays * DAY_MS;
    const mustDecide = verdicts.length > 0 || state === null || (waitNow && !waitFlipped);
    if (waitNow) waitFlipped = true;
    if (mustDecide) {
      const [d] = live.decideEscalations({
        now,
        table,
        policy,
        classes: [{ taskType: TASK, verdicts, state, judgedPerDay: volume.perDay(), judge: spec.judgeRates }],
      });
      state = d.state;
      if ((d.decision === 'escalate' || d.decision === 'deescalate') && d.to && state.pending) {
        // the daemon and nightly --apply write the table in the same run; the change bursts the class for 48 h
        const toTier = d.to;
        table.taskClasses[TASK] = { tier: toTier };
        state = live.markApplied(state, state.pending, table.tiers[toTier], now, policy.deescalation.restartFraction);
        lastChange[TASK] = now;
        if (d.decision === 'escalate') {
          out.escalations.push(end / DAY_MS);
          escalatedSince = end;
          waitFlipped = false;
        } else {
          out.deescalations.push(end / DAY_MS);
          if (escalatedSince !== null) out.escalatedDays += (end - escalatedSince) / DAY_MS;
          escalatedSince = null;
        }
        if (d.decision === 'escalate' && end >= mark) {
          out.daysRun = end / DAY_MS;
          out.baseJudgedPerDay = baseJudged(strata.routing, spec.requestsPerDay);
          return out;
        }
      }
    }
    // same-run boost (topUpBoost): S rose past kappa H in this decision, so the range just drawn is drawn again at the new rate
    if (state) {
      const raised = live.computeBoost([TASK], { [TASK]: { S: state.S, H: state.H } }, lastChange, now)[TASK];
      if (raised > boost[TASK]) {
        for (const r of ranges) {
          const rate = live.allocateSample(
            [
              {
                source: 'routing',
                reason: 'routing',
                taskType: TASK,
                day: dayString(r.day),
                volume: r.events,
                baseRate: strata.routing.get(r.day)!.baseRate,
              },
            ],
            { floorPerDay: spec.sampler.floorPerDay, sqrtFactor: spec.sampler.sqrtFactor, boost: { [TASK]: raised } },
          )[0].rate;
          if (rate <= r.rate) continue;
          const extra = binomial(rand, r.events - r.sampled, (rate - r.rate) / (1 - r.rate));
          addVerdicts(
            pending,
            rand,
            extra,
            r.from,
            r.to,
            rate,
            false,
            escalated ? PREMIUM : table.tiers.standard,
            (t) => (escalated ? spec.premiumRate : spec.cheapRate(t / DAY_MS)),
            spec.judge,
            () => seq++,
          );
          // the range's earlier samples now carry the wider window's probability
          volume.widen(r.from, r.to, rate);
        }
        pending.sort((x, y) => x.seq - y.seq);
      }
    }
  }
  if (escalatedSince !== null) out.escalatedDays += (endMs - escalatedSince) / DAY_MS;
  out.daysRun = spec.days;
  out.baseJudgedPerDay = baseJudged(strata.routing, spec.requestsPerDay);
  return out;
}

/** The day's fixed base rate (fixed by the first run that sees the day, as fixStratumRates does), then the run's allocation. */
function allocatedRate(
  live: LivePath,
  strata: Map<number, DayStratum>,
  day: number,
  events: number,
  latestMs: number,
  now: Date,
  boost: number,
  sampler: LiveRunSpec['sampler'],
): number {
  let s = strata.get(day);
  if (!s) {
    const trailing: number[] = [];
    for (let d = day - 7; d < day; d++) {
      const t = strata.get(d);
      if (t) trailing.push(t.volumeSeen);
    }
    const e = live.expectedDailyVolume({
      trailing,
      soFar: events,
      day: dayString(day),
      latestTs: new Date(EPOCH + latestMs),
      now,
    });
    s = { baseRate: live.stratumBaseRate(e.volume, sampler), volumeSeen: 0, rates: new Map() };
    strata.set(day, s);
    for (const d of [...strata.keys()]) if (d < day - 8) strata.delete(d);
  }
  s.volumeSeen += events;
  let rate = s.rates.get(boost);
  if (rate === undefined) {
    rate = live.allocateSample(
      [
        {
          source: 'routing',
          reason: 'routing',
          taskType: TASK,
          day: dayString(day),
          volume: s.volumeSeen,
          baseRate: s.baseRate,
        },
      ],
      { ...sampler, boost: { [TASK]: boost } },
    )[0].rate;
    s.rates.set(boost, rate);
  }
  return rate;
}

function addVerdicts(
  into: JudgedVerdict[],
  rand: Random,
  count: number,
  from: number,
  to: number,
  inclusionProb: number,
  shadow: boolean,
  model: string,
  trueRate: (tMs: number) => number,
  judge: LiveRunSpec['judge'],
  nextSeq: () => number,
): void {
  if (count === 0) return;
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(from + rand() * (to - from));
  times.sort((a, b) => a - b);
  for (const t of times) {
    const q = judgeScale(trueRate(t), judge);
    into.push({
      taskType: TASK,
      ts: new Date(EPOCH + Math.floor(t)).toISOString(),
      seq: nextSeq(),
      model,
      failed: rand() < q,
      shadow,
      inclusionProb,
    });
  }
}

/**
 * Base judged verdicts per day over the last 7 days of event time, as loadJudgedVolumes computes it in
 * SQL: a verdict drawn at probability p counts min(1, base rate / p); days = the span covered, in [1, 7].
 * Kept as a running sum over a sliding window (verdicts arrive in event-time order, top-ups just behind).
 */
class JudgedVolume {
  private log: { t: number; base: number; p: number }[] = [];
  private head = 0;
  private sum = 0;

  add(t: number, base: number, p: number): void {
    this.log.push({ t, base, p });
    this.sum += share(base, p);
  }

  /** The range [from, to)'s verdicts now carry probability p (a top-up widened their window). */
  widen(from: number, to: number, p: number): void {
    for (let i = this.log.length - 1; i >= this.head; i--) {
      const v = this.log[i];
      if (v.t < from) break;
      if (v.t < to && v.p < p) {
        this.sum += share(v.base, p) - share(v.base, v.p);
        v.p = p;
      }
    }
  }

  perDay(): number {
    if (this.log.length === this.head) return 0;
    const mx = this.log[this.log.length - 1].t;
    while (this.log[this.head].t <= mx - 7 * DAY_MS) {
      const v = this.log[this.head++];
      this.sum -= share(v.base, v.p);
    }
    if (this.head > 10_000) {
      this.log = this.log.slice(this.head);
      this.head = 0;
    }
    const days = Math.min(7, Math.max(1, (mx - this.log[this.head].t) / DAY_MS));
    return Math.max(0, this.sum) / days;
  }
}

function share(base: number, p: number): number {
  return p > 0 ? Math.min(1, base / p) : 1;
}

function baseJudged(strata: Map<number, DayStratum>, V: number): number {
  const last = [...strata.values()].at(-1);
  return last ? Math.min(V, last.baseRate * V) : 0;
}

const dayNames = new Map<number, string>();
function dayString(day: number): string {
  let s = dayNames.get(day);
  if (s === undefined) {
    s = new Date(EPOCH + day * DAY_MS).toISOString().slice(0, 10);
    if (dayNames.size > 100_000) dayNames.clear();
    dayNames.set(day, s);
  }
  return s;
}
