import { allocateSample, HASH_BUCKETS, type StratumVolume } from '../sampler/allocate-sample.js';
import { clopperPearsonUpper } from '../stats/binomial-interval.js';
import { createFalseHitEvidence, DEFAULT_GRID } from './false-hit-curve.js';
import { seededRandom } from '../stats/seeded-random.js';
import { binomial, poisson, shuffle } from './simulation-draws.js';

/**
 * A cache class for simulation: hits are lookups with similarity >= `threshold`, near-misses lie in
 * [threshold - band, threshold); each day brings Poisson-many of both, uniform in their range, and
 * a lookup at similarity s is a false hit with probability falseHitAt(s).
 */
export interface SimulatedCache {
  threshold: number;
  band: number;
  hitsPerDay: number;
  nearMissesPerDay: number;
  falseHitAt: (s: number) => number;
}

/** The options of one simulation: the cache, nights, reps, target and seed. */
export interface CertificationSimOptions {
  cache: SimulatedCache;
  nights: number;
  reps: number;
  target: number;
  alpha?: number;
  seed?: number;
  /** Sampler settings (the project's defaults: floor 100 a day, 2.2 sqrt(V)). */
  floorPerDay?: number;
  sqrtFactor?: number;
}

/** How often a certified threshold's true false-hit rate was above the target. */
export interface CertificationSimResult {
  reps: number;
  /** Inclusion rates the sampler chose on an average day. */
  hitRate: number;
  nearMissRate: number;
  /** This procedure: the last night's look only, and any of the nightly looks. */
  finalLookViolation: number;
  anyLookViolation: number;
  /** Share of reps certifying anything at the last look, and the mean threshold certified then. */
  finalLookCertified: number;
  meanCertifiedThreshold: number | null;
  /** The lowest grid threshold whose true rate, and every stricter one's, is within the target. */
  oracleThreshold: number | null;
  /** main's rule (unweighted pooled Clopper-Pearson fixed sequence) on the same draws. */
  unweightedFinalLookViolation: number;
  unweightedAnyLookViolation: number;
}

/**
 * Simulates the live path: each night the project's allocateSample sizes the day's hit and
 * near-miss strata, every lookup is drawn with that probability (the hash's role), the drawn ones
 * are judged without error, and the certification runs on everything judged so far.
 */
export function simulateCacheCertification(o: CertificationSimOptions): CertificationSimResult {
  const rand = seededRandom(o.seed ?? 1);
  const alpha = o.alpha ?? 0.05;
  const c = o.cache;
  const trueRate = trueRateCurve(c, DEFAULT_GRID);
  const violates = (t: number | null) => t !== null && trueRate.get(t)! > o.target;
  let finalBad = 0,
    anyBad = 0,
    finalCert = 0,
    naiveFinalBad = 0,
    naiveAnyBad = 0;
  let hitRateSum = 0,
    nmRateSum = 0,
    days = 0,
    certSum = 0;
  for (let rep = 0; rep < o.reps; rep++) {
    const evidence = createFalseHitEvidence();
    const order: number[] = [];
    const unweighted: { s: number; y: boolean }[] = [];
    let any = false,
      naiveAny = false;
    for (let night = 1; night <= o.nights; night++) {
      const vh = poisson(rand, c.hitsPerDay);
      const vn = poisson(rand, c.nearMissesPerDay);
      const day = `2026-01-${String(night).padStart(2, '0')}`;
      const strata: StratumVolume[] = [
        { source: 'cache', reason: 'hit', taskType: 'sim', day, volume: vh },
        { source: 'cache', reason: 'near_miss', taskType: 'sim', day, volume: vn },
      ];
      const [ah, an] = allocateSample(strata, { floorPerDay: o.floorPerDay ?? 100, sqrtFactor: o.sqrtFactor ?? 2.2 });
      const pih = ah.threshold / HASH_BUCKETS;
      const pin = an.threshold / HASH_BUCKETS;
      hitRateSum += pih;
      nmRateSum += pin;
      days++;
      const drawn: { s: number; y: boolean; pi: number }[] = [];
      const draw = (v: number, pi: number, lo: number, hi: number) => {
        // each of the v lookups is drawn with probability pi (the hash's role): Binomial(v, pi) of them, uniform in the stratum
        const k = binomial(rand, v, pi);
        for (let i = 0; i < k; i++) {
          const s = lo + (hi - lo) * rand();
          drawn.push({ s, y: rand() < c.falseHitAt(s), pi });
        }
      };
      draw(vh, pih, c.threshold, 1);
      draw(vn, pin, c.threshold - c.band, c.threshold);
      shuffle(rand, drawn); // sample ids interleave the strata
      for (const d of drawn) {
        evidence.add({ similarity: d.s, falseHit: d.y, inclusionProb: d.pi });
        if (order.length < 500) order.push(d.s);
        unweighted.push(d);
      }
      const a = evidence.analyse({ target: o.target, alpha, sampledSimilarities: order, bounds: false });
      const t = a.recommended?.threshold ?? null;
      if (violates(t)) any = true;
      const naive = night === o.nights || night % 5 === 0 ? unweightedFixedSequence(unweighted, o.target, alpha) : null;
      if (violates(naive)) naiveAny = true;
      if (night === o.nights) {
        if (violates(t)) finalBad++;
        if (t !== null) {
          finalCert++;
          certSum += t;
        }
        if (violates(naive)) naiveFinalBad++;
      }
    }
    if (any) anyBad++;
    if (naiveAny) naiveAnyBad++;
  }
  return {
    reps: o.reps,
    hitRate: hitRateSum / days,
    nearMissRate: nmRateSum / days,
    finalLookViolation: finalBad / o.reps,
    anyLookViolation: anyBad / o.reps,
    finalLookCertified: finalCert / o.reps,
    meanCertifiedThreshold: finalCert ? certSum / finalCert : null,
    oracleThreshold: oracle(trueRate, o.target),
    unweightedFinalLookViolation: naiveFinalBad / o.reps,
    unweightedAnyLookViolation: naiveAnyBad / o.reps,
  };
}

/** The rule main shipped: pooled, unweighted Clopper-Pearson fixed sequence from the highest t with max(299, m/5) judged. */
export function unweightedFixedSequence(
  judged: { s: number; y: boolean }[],
  target: number,
  alpha: number,
): number | null {
  const grid = DEFAULT_GRID;
  const n = grid.map(() => 0),
    k = grid.map(() => 0);
  for (const j of judged) {
    let i = Math.min(grid.length - 1, Math.floor((j.s - grid[0]) / 0.005 + 1e-9));
    while (i >= 0 && grid[i] > j.s) i--;
    if (i < 0) continue;
    n[i]++;
    if (j.y) k[i]++;
  }
  for (let i = grid.length - 2; i >= 0; i--) {
    n[i] += n[i + 1];
    k[i] += k[i + 1];
  }
  const minStart = Math.max(299, Math.ceil(judged.length / 5));
  let start = -1;
  for (let i = grid.length - 1; i >= 0; i--)
    if (n[i] >= minStart) {
      start = i;
      break;
    }
  let passed: number | null = null;
  for (let i = start; i >= 0 && clopperPearsonUpper(k[i], n[i], 1 - alpha) < target; i--) passed = grid[i];
  return passed;
}

function oracle(rates: Map<number, number>, target: number): number | null {
  let best: number | null = null;
  for (const t of [...rates.keys()].sort((a, b) => b - a)) {
    if (rates.get(t)! > target) break;
    best = t;
  }
  return best;
}

/** True false-hit rate of all lookups at or above each grid threshold (expected daily mix, numeric integral). */
export function trueRateCurve(c: SimulatedCache, grid: number[]): Map<number, number> {
  const steps = 20_000;
  const out = new Map<number, number>();
  for (const t of grid) {
    let mass = 0,
      bad = 0;
    const part = (v: number, lo: number, hi: number) => {
      const a = Math.max(lo, t);
      if (a >= hi) return;
      const dens = v / (hi - lo);
      const h = (hi - a) / steps;
      for (let i = 0; i < steps; i++) {
        const s = a + (i + 0.5) * h;
        mass += dens * h;
        bad += dens * h * c.falseHitAt(s);
      }
    };
    part(c.hitsPerDay, c.threshold, 1);
    part(c.nearMissesPerDay, c.threshold - c.band, c.threshold);
    out.set(t, mass > 0 ? bad / mass : 0);
  }
  return out;
}
