import { judgeScale } from '../../stats/judge-scale.js';
import type { Random } from '../../stats/seeded-random.js';
import type { JudgedVerdict } from '../escalation-types.js';
import type { JudgedVolume } from './judged-volume.js';
import type { LivePath, LiveRunSpec } from './live-path.js';
import { binomial, poisson } from './random-draws.js';

export const DAY_MS = 86_400_000;
export const TASK = 'simulated';
export const CHEAP = 'cheap-model';
export const PREMIUM = 'premium-model';
/** Simulated time starts here (a UTC midnight); only differences matter. */
export const EPOCH = Date.parse('2026-01-01T00:00:00Z');

interface DayStratum {
  baseRate: number;
  volumeSeen: number;
  /** allocateSample's rate per boost for this day (pure in the base rate and the boost, so kept). */
  rates: Map<number, number>;
}

/** The sampler's per-day strata of one class: routed requests, and the cheap model's shadow answers. */
export interface Strata {
  routing: Map<number, DayStratum>;
  shadow: Map<number, DayStratum>;
}

/** One UTC day's part of a cycle's range as the sampler drew it. */
export interface DrawnRange {
  day: number;
  events: number;
  sampled: number;
  rate: number;
  from: number;
  to: number;
}

/** What a cycle's draw needs besides the spec: the live functions, the random source and the run's strata. */
export interface DrawContext {
  spec: LiveRunSpec;
  live: LivePath;
  rand: Random;
  strata: Strata;
  nextSeq: () => number;
}

/**
 * The sampler over one cycle's range [start, end): per UTC day, Poisson arrivals drawn at the day's
 * fixed rate times the boost; while escalated the cheap model's shadow answers are drawn too.
 */
export function drawCycle(
  c: DrawContext,
  start: number,
  end: number,
  now: Date,
  boost: number,
  escalated: boolean,
): { fresh: JudgedVerdict[]; ranges: DrawnRange[] } {
  const { spec, rand } = c;
  const fresh: JudgedVerdict[] = [];
  const ranges: DrawnRange[] = [];
  for (let a = start; a < end; ) {
    const day = Math.floor(a / DAY_MS);
    const b = Math.min(end, (day + 1) * DAY_MS);
    const events = poisson(rand, (spec.requestsPerDay * (b - a)) / DAY_MS);
    const rate = allocatedRate(c, c.strata.routing, day, events, b, now, boost);
    const sampled = binomial(rand, events, rate);
    ranges.push({ day, events, sampled, rate, from: a, to: b });
    addVerdicts(c, fresh, sampled, a, b, rate, false, routedModel(escalated), routedRate(spec, escalated));
    if (escalated) {
      // the app runs the cheap model in shadow on every request while escalated (metadata.shadow)
      const sEvents = poisson(rand, (spec.requestsPerDay * (b - a)) / DAY_MS);
      const sRate = allocatedRate(c, c.strata.shadow, day, sEvents, b, now, boost);
      const count = binomial(rand, sEvents, sRate);
      addVerdicts(c, fresh, count, a, b, sRate, true, CHEAP, (t) => spec.cheapRate(t / DAY_MS));
    }
    a = b;
  }
  fresh.sort((x, y) => x.seq - y.seq);
  return { fresh, ranges };
}

/**
 * The same-run boost (topUpBoost): S rose past kappa H in this cycle's decision, so each range just
 * drawn is drawn again at the raised rate; the extra verdicts are judged by the next cycle.
 */
export function topUpRanges(
  c: DrawContext,
  ranges: DrawnRange[],
  raised: number,
  escalated: boolean,
  volume: JudgedVolume,
): JudgedVerdict[] {
  const { spec, live, rand } = c;
  const pending: JudgedVerdict[] = [];
  for (const r of ranges) {
    const rate = live.allocateSample(
      [
        {
          source: 'routing',
          reason: 'routing',
          taskType: TASK,
          day: dayString(r.day),
          volume: r.events,
          baseRate: c.strata.routing.get(r.day)!.baseRate,
        },
      ],
      { floorPerDay: spec.sampler.floorPerDay, sqrtFactor: spec.sampler.sqrtFactor, boost: { [TASK]: raised } },
    )[0].rate;
    if (rate <= r.rate) continue;
    const extra = binomial(rand, r.events - r.sampled, (rate - r.rate) / (1 - r.rate));
    addVerdicts(c, pending, extra, r.from, r.to, rate, false, routedModel(escalated), routedRate(spec, escalated));
    // the range's earlier samples now carry the wider window's probability
    volume.widen(r.from, r.to, rate);
  }
  pending.sort((x, y) => x.seq - y.seq);
  return pending;
}

function routedModel(escalated: boolean): string {
  return escalated ? PREMIUM : CHEAP;
}

function routedRate(spec: LiveRunSpec, escalated: boolean): (tMs: number) => number {
  return (t) => (escalated ? spec.premiumRate : spec.cheapRate(t / DAY_MS));
}

/** The day's fixed base rate (fixed by the first run that sees the day, as fixStratumRates does), then the run's allocation. */
function allocatedRate(
  c: DrawContext,
  strata: Map<number, DayStratum>,
  day: number,
  events: number,
  latestMs: number,
  now: Date,
  boost: number,
): number {
  const { live, spec } = c;
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
    s = { baseRate: live.stratumBaseRate(e.volume, spec.sampler), volumeSeen: 0, rates: new Map() };
    strata.set(day, s);
    for (const d of [...strata.keys()]) if (d < day - 8) strata.delete(d);
  }
  s.volumeSeen += events;
  let rate = s.rates.get(boost);
  if (rate === undefined) {
    const stratum = { source: 'routing' as const, reason: 'routing' as const, taskType: TASK, day: dayString(day) };
    rate = live.allocateSample([{ ...stratum, volume: s.volumeSeen, baseRate: s.baseRate }], {
      ...spec.sampler,
      boost: { [TASK]: boost },
    })[0].rate;
    s.rates.set(boost, rate);
  }
  return rate;
}

function addVerdicts(
  c: DrawContext,
  into: JudgedVerdict[],
  count: number,
  from: number,
  to: number,
  inclusionProb: number,
  shadow: boolean,
  model: string,
  trueRate: (tMs: number) => number,
): void {
  if (count === 0) return;
  const { rand, spec } = c;
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(from + rand() * (to - from));
  times.sort((a, b) => a - b);
  for (const t of times) {
    const q = judgeScale(trueRate(t), spec.judge);
    into.push({
      taskType: TASK,
      ts: new Date(EPOCH + Math.floor(t)).toISOString(),
      seq: c.nextSeq(),
      model,
      failed: rand() < q,
      shadow,
      inclusionProb,
    });
  }
}

/** The base judged volume a day at the latest fixed day's rate. */
export function baseJudged(strata: Map<number, DayStratum>, V: number): number {
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
