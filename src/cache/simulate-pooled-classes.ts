import { allocateSample, HASH_BUCKETS } from '../sampler/allocate-sample.js';
import { clopperPearsonUpper } from '../stats/binomial-interval.js';
import { seededRandom } from '../stats/seeded-random.js';
import { createFalseHitEvidence } from './false-hit-curve.js';
import { weightedRate } from './false-hit-evidence.js';
import { binomial, poisson } from './simulation-draws.js';

/** The pooled-classes case: one large class and many small ones, hits only, each class at its own rate. */
export interface PooledSimOptions {
  classes: { name: string; hitsPerDay: number; falseHitRate: number }[];
  nights: number;
  reps: number;
  target: number;
  seed?: number;
}

/** Per rep and night: what the per-class certification and the pooled estimate said, against main's pooled rule. */
export interface PooledSimResult {
  looks: number;
  /** Looks at which some class whose true rate is >= target was certified. */
  wrongClassCertified: number;
  /** Looks at which the hit-volume weighted pooled estimate was under the target (reported as an estimate only). */
  pooledEstimateUnderTarget: number;
  /** Looks at which main's unweighted pooled Clopper-Pearson bound was under the target ("certified"). */
  unweightedPooledCertified: number;
  /** The true hit-volume weighted false-hit rate. */
  truePooledRate: number;
  meanPooledEstimate: number;
}

/** Simulates the nightly cache section over all classes with the project's sampler allocation. */
export function simulatePooledClasses(o: PooledSimOptions): PooledSimResult {
  const rand = seededRandom(o.seed ?? 1);
  let looks = 0,
    wrong = 0,
    under = 0,
    naive = 0,
    estSum = 0;
  const volume = o.classes.reduce((a, c) => a + c.hitsPerDay, 0);
  const truePooledRate = o.classes.reduce((a, c) => a + c.hitsPerDay * c.falseHitRate, 0) / volume;
  for (let rep = 0; rep < o.reps; rep++) {
    const state = o.classes.map(() => ({
      evidence: createFalseHitEvidence(),
      order: [] as number[],
      hits: 0,
      judged: [] as { inclusionProb: number; falseHit: boolean; count: number }[],
      raw: 0,
      rawFalse: 0,
    }));
    for (let night = 1; night <= o.nights; night++) {
      const day = `2026-01-${String(night).padStart(2, '0')}`;
      o.classes.forEach((c, i) => {
        const v = poisson(rand, c.hitsPerDay);
        const [a] = allocateSample([{ source: 'cache', reason: 'hit', taskType: c.name, day, volume: v }], {
          floorPerDay: 100,
          sqrtFactor: 2.2,
        });
        const pi = a.threshold / HASH_BUCKETS;
        const st = state[i];
        st.hits += v;
        const drawnHere = binomial(rand, v, pi);
        for (let k = 0; k < drawnHere; k++) {
          const s = 0.95 + 0.05 * rand();
          const y = rand() < c.falseHitRate;
          st.evidence.add({ similarity: s, falseHit: y, inclusionProb: pi });
          if (st.order.length < 500) st.order.push(s);
          st.judged.push({ inclusionProb: pi, falseHit: y, count: 1 });
          st.raw++;
          if (y) st.rawFalse++;
        }
      });
      looks++;
      const certifiedWrongly = o.classes.some(
        (c, i) =>
          c.falseHitRate >= o.target &&
          state[i].evidence.analyse({ target: o.target, sampledSimilarities: state[i].order, bounds: false })
            .recommended !== null,
      );
      if (certifiedWrongly) wrong++;
      // the report's pooled figure: each class's weighted rate of its hits, weighted by its hit volume
      const classes = state.map((s, i) => ({
        taskType: o.classes[i].name,
        hitVolume: s.hits,
        rate: weightedRate(s.judged).rate,
      }));
      const counted = classes.filter((c) => c.rate !== null);
      const est = counted.reduce((a, c) => a + c.hitVolume * c.rate!, 0) / counted.reduce((a, c) => a + c.hitVolume, 0);
      estSum += est;
      if (est < o.target) under++;
      const k = state.reduce((a, s) => a + s.rawFalse, 0);
      const n = state.reduce((a, s) => a + s.raw, 0);
      if (clopperPearsonUpper(k, n, 0.95) < o.target) naive++;
    }
  }
  return {
    looks,
    wrongClassCertified: wrong / looks,
    pooledEstimateUnderTarget: under / looks,
    unweightedPooledCertified: naive / looks,
    truePooledRate,
    meanPooledEstimate: estSum / looks,
  };
}
