import { seededRandom } from '../../stats/seeded-random.js';
import { replicateEventRate, type EventRate, type ReplicateCount } from './event-rate.js';
import { runLiveClass } from './live-class-run.js';
import { liveDelay, type LiveDelay } from './live-delay.js';
import { escalatedAfter, liveSpec, requestsForJudged, WARMUP_DAYS, type LiveOptions } from './live-options.js';
import type { ActingMode } from './live-path.js';

export { eventRate, replicateEventRate, type EventRate } from './event-rate.js';
export { liveDelay, type LiveDelay } from './live-delay.js';
export { actingPolicy, requestsForJudged, type LiveOptions } from './live-options.js';

/** The live policy's goal figures in one acting mode at one volume. */
export interface LiveFigures {
  mode: ActingMode;
  intervalMinutes: number | null;
  /** Requests per day of the class and the sampler's base judged volume (G7). */
  requestsPerDay: number;
  baseJudgedPerDay: number;
  /** Judge calls per day at 1.5% and 2% (boost, burst, top-up and shadow included). */
  judgeCallsPerDayAt1_5: number;
  judgeCallsPerDayAt2: number;
  /** G1, G2. */
  falseAt1_5: EventRate;
  falseAt2: EventRate;
  /** G3, G4, G5. */
  delays: LiveDelay[];
  /** G6: at exactly 3% for 90 days. */
  at3: At3Figures;
}

/** G6: escalations in 90 days at exactly 3%, the first one, and wrong de-escalations. */
export interface At3Figures {
  escalationsPer90d: number;
  firstEscalationDays: number | null;
  neverEscalated: number;
  wrongDeescalation90d: number;
  shareEscalated: number;
  replicates: number;
}

const JUMPS = [0.04, 0.06, 0.1];
/** Longest steady chain (days) a G1/G2 figure runs, whatever the effort. */
const MAX_STEADY_DAYS = 400_000;

/** How much work one figure gets: the cell's cost model and its seeds. */
interface Cell {
  judgedPerDay: number;
  mode: ActingMode;
  o: LiveOptions;
  msPerDay: number;
  budgetMs: number;
  seedFor: (label: number) => number;
}

/**
 * The live policy's G1-G7 figures at one base judged volume in one acting mode, by seeded Monte Carlo
 * of runLiveClass. Work is bounded per cell (quick: a fraction of a second of CPU; full: about 3 s x
 * effort, three times that for G1 and six times for G2, over 8 independent deployments), so the rarer
 * events (G1 at high volume) come with wide intervals, which are reported.
 */
export function simulateLive(judgedPerDay: number, mode: ActingMode, o: LiveOptions): LiveFigures {
  const cell: Cell = {
    judgedPerDay,
    mode,
    o,
    msPerDay: 3e-3 * 2.2 * judgedPerDay + (mode === 'daemon' ? (3.5 * 300_000) / o.intervalMs : 0.02),
    budgetMs: o.budgetMs ?? (o.quick ? 120 : 3_000) * (o.effort ?? 1),
    seedFor: (label) =>
      (o.seed ^ Math.imul(judgedPerDay, 0x9e3779b1) ^ Math.imul(label + (mode === 'daemon' ? 101 : 0), 0x85ebca6b)) >>>
      0,
  };
  const s15 = steadyFalseEscalations(cell, 0.015, 1);
  const s2 = steadyFalseEscalations(cell, 0.02, 2);
  const reps = Math.round(cell.budgetMs / (cell.msPerDay * (WARMUP_DAYS + 3)));
  const delays = JUMPS.map((p1, i) =>
    liveDelay(judgedPerDay, mode, o, p1, Math.max(o.quick ? 12 : 40, Math.min(1000, reps)), cell.seedFor(10 + i)),
  );
  return {
    mode,
    intervalMinutes: mode === 'daemon' ? o.intervalMs / 60_000 : null,
    requestsPerDay: requestsForJudged(judgedPerDay, o.sampler),
    baseJudgedPerDay: round(s15.base, 1),
    judgeCallsPerDayAt1_5: round(s15.callsPerDay, 1),
    judgeCallsPerDayAt2: round(s2.callsPerDay, 1),
    falseAt1_5: s15.rate,
    falseAt2: s2.rate,
    delays,
    at3: at3Figures(cell),
  };
}

/** Independent deployments (seeded chains, each with its own warm-up) a full G1/G2 figure pools. */
const REPLICATES = 8;

/**
 * G1, G2: independent deployments at a constant rate p (each after a warm-up), false escalations per
 * 30 days at risk, with an interval over the replicates (replicateEventRate: the events come in renewal
 * cycles, not as a Poisson process). G2 (label 2) is the binding goal at every volume and gets twice
 * G1's work (G1's at high volume is a bound on a rarer event, reported with its wide interval).
 */
function steadyFalseEscalations(c: Cell, p: number, label: number) {
  const work = label === 2 ? 6 : 3;
  const days = Math.max(c.o.quick ? 120 : 300, Math.min(MAX_STEADY_DAYS, Math.round((work * c.budgetMs) / c.msPerDay)));
  const chains = c.o.quick ? 1 : REPLICATES;
  const reps: ReplicateCount[] = [];
  let judged = 0;
  let base = 0;
  for (let k = 0; k < chains; k++) {
    const rand = seededRandom(c.seedFor(label * 16 + k));
    const per = Math.round(days / chains);
    const spec = liveSpec(c.judgedPerDay, c.mode, c.o, rand);
    const r = runLiveClass({ ...spec, days: per + WARMUP_DAYS, cheapRate: () => p }, rand);
    reps.push({
      events: r.escalations.filter((t) => t >= WARMUP_DAYS).length,
      daysAtRisk: per - escalatedAfter(r, WARMUP_DAYS),
    });
    judged += r.judged + r.shadowJudged;
    base = r.baseJudgedPerDay;
  }
  return { rate: replicateEventRate(reps), callsPerDay: judged / (days + chains * WARMUP_DAYS), base };
}

/** G6: 90 days at exactly 3% after a warm-up at 1.5%. */
function at3Figures(c: Cell): At3Figures {
  const reps = Math.max(c.o.quick ? 3 : 20, Math.min(1000, Math.round(c.budgetMs / (c.msPerDay * (WARMUP_DAYS + 90)))));
  const rand = seededRandom(c.seedFor(20));
  let esc = 0;
  let wrong = 0;
  let never = 0;
  let firstSum = 0;
  let escDays = 0;
  for (let k = 0; k < reps; k++) {
    const spec = liveSpec(c.judgedPerDay, c.mode, c.o, rand);
    const r = runLiveClass(
      { ...spec, days: WARMUP_DAYS + 90, cheapRate: (t) => (t < WARMUP_DAYS ? 0.015 : 0.03) },
      rand,
    );
    const inWindow = r.escalations.filter((t) => t >= WARMUP_DAYS);
    esc += inWindow.length;
    if (r.deescalations.some((t) => t >= WARMUP_DAYS)) wrong++;
    if (inWindow.length === 0) never++;
    else firstSum += inWindow[0] - WARMUP_DAYS;
    escDays += escalatedAfter(r, WARMUP_DAYS);
  }
  return {
    escalationsPer90d: esc / reps,
    firstEscalationDays: reps > never ? firstSum / (reps - never) : null,
    neverEscalated: never / reps,
    wrongDeescalation90d: wrong / reps,
    shareEscalated: escDays / reps / 90,
    replicates: reps,
  };
}

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
