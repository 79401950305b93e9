import { seededRandom } from '../../stats/seeded-random.js';
import { runLiveClass } from './live-class-run.js';
import type { ActingMode } from './live-path.js';
import { liveSpec, WARMUP_DAYS, type LiveOptions } from './live-options.js';

/** A detection delay (days from the change to the applied escalation) and the judged samples it took. */
export interface LiveDelay {
  to: number;
  mean: number;
  p90: number;
  /** Judged verdicts of the cheap model from the change to the applied escalation (mean). */
  samples: number;
  replicates: number;
  /** Replicates that never escalated within the 60-day cap (counted at the cap). */
  censored: number;
}

/**
 * Days from a jump 1% -> p1 (after the warm-up) until the live escalation is applied, over `reps`
 * replicates (a replicate that falsely escalated before the change is drawn again).
 */
export function liveDelay(
  judgedPerDay: number,
  mode: ActingMode,
  o: LiveOptions,
  p1: number,
  reps: number,
  seed: number,
): LiveDelay {
  const rand = seededRandom(seed);
  const got: number[] = [];
  let samples = 0;
  let censored = 0;
  let tries = 0;
  while (got.length < reps && tries < reps * 3) {
    tries++;
    const r = runLiveClass(
      {
        ...liveSpec(judgedPerDay, mode, o, rand),
        days: WARMUP_DAYS + 60,
        cheapRate: (t) => (t < WARMUP_DAYS ? 0.01 : p1),
        stopAfterEscalationFrom: WARMUP_DAYS,
      },
      rand,
    );
    if (r.escalations.some((t) => t < WARMUP_DAYS)) continue; // a false escalation before the change: not a delay sample
    const after = r.escalations.find((t) => t >= WARMUP_DAYS);
    if (after === undefined) censored++;
    got.push((after ?? WARMUP_DAYS + 60) - WARMUP_DAYS);
    samples += r.judgedSinceMark;
  }
  got.sort((x, y) => x - y);
  return {
    to: p1,
    mean: got.length ? got.reduce((a, x) => a + x, 0) / got.length : NaN,
    p90: got[Math.ceil(0.9 * got.length) - 1] ?? NaN,
    samples: samples / Math.max(1, got.length),
    replicates: got.length,
    censored,
  };
}
