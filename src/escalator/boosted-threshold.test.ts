import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import type { Db } from '../db/db.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { runJudge } from '../judge/run-judge.js';
import { runSample } from '../sampler/run-sample.js';
import { insertRoutingEvents } from '../../test/support/insert-events.js';
import { boostedArlDays, boostedThreshold, recommendedThreshold } from './calibrate-threshold.js';
import { DEFAULT_POLICY } from './escalation-policy.js';
import { loadJudgedVolumes } from './escalator-queries.js';
import { thresholdForVolume } from './threshold-for-volume.js';

const targets = {
  m: 32,
  constraints: [
    [0.015, 365],
    [0.02, 90],
  ] as const,
};
const boost = { factor: 4, kappa: 0.2 };

describe('H calibrated for the base volume with the 4x boost in the false-alarm budget (issue 11 item 5)', () => {
  it('reproduces the notes S4b (n_b 25/50/100: H 129/154/179) and meets G1 and G2 in days with the boost on', () => {
    expect([25, 50, 100].map((n) => boostedThreshold(n, targets, boost))).toEqual([129, 154, 179]);
    for (const n of [25, 100, 500, 2500]) {
      const H = thresholdForVolume(n, 32, DEFAULT_POLICY, { fp: 0, fn: 0 });
      expect(boostedArlDays(0.015, 32, H, n, boost)).toBeGreaterThanOrEqual(365); // G1: <= 1 per year at 1.5%
      expect(boostedArlDays(0.02, 32, H, n, boost)).toBeGreaterThanOrEqual(90); // G2: <= 1 per quarter at 2%
      // the unboosted H the escalator used before misses G2 once the sampler boosts
      expect(boostedArlDays(0.02, 32, recommendedThreshold(n, targets), n, boost)).toBeLessThan(90);
    }
  });
});

describe('base judged volume (PGlite)', () => {
  const pglite = testDbAdapters.find((a) => a.name === 'pglite')!;
  let db: Db;
  beforeAll(async () => {
    db = await pglite.create();
  });
  afterAll(async () => db?.close());

  it('counts a verdict drawn at 4x the base rate as a quarter, so H follows the base design', async () => {
    const config = configSchema.parse({});
    const now = new Date('2026-11-25T00:30:00Z');
    const ev = (day: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: `${day}-${i}`,
        ts: new Date(Date.parse(`${day}T00:00:00Z`) + i * Math.floor(86_400_000 / n)).toISOString(),
        taskType: 'c',
        response: 'a',
        reference: 'a',
      }));
    await insertRoutingEvents(db, ev('2026-11-24', 10_000));
    await runSample({ db, now: () => now }, { sampler: config.sampler, cache: config.cache });
    // the next day, the class is boosted 4x all day
    await insertRoutingEvents(db, ev('2026-11-25', 10_000));
    await runSample(
      { db, now: () => new Date('2026-11-26T00:30:00Z') },
      { sampler: config.sampler, cache: config.cache, boost: { c: 4 } },
    );
    await runJudge({ db, now: () => now }, { comparators: { c: 'exact-label' } });
    const judged = (await db.query<{ n: number }>(`select count(*)::int as n from judgments`)).rows[0].n;
    const base = (await loadJudgedVolumes(db)).get('c')!;
    // ~220 base + ~880 boosted verdicts over ~2 days: base volume ~220/day, not ~550
    expect(judged).toBeGreaterThan(900);
    expect(base).toBeGreaterThan(180);
    expect(base).toBeLessThan(270);
  }, 120_000);
});
