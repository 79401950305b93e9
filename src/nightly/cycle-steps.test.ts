import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import { createJudgeStepDeps } from './cycle-deps.js';
import { cacheStep } from './cycle-steps.js';

describe('cacheStep', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestPglite();
    // 1,000 correct hits at similarity 0.97, 100 at 0.93 of which half are false; all judged in run r1
    // (drawn in an order that interleaves them, as the sampler's hash does).
    await db.exec(`
      insert into runs (id, kind) values ('r1', 'nightly');
      insert into cache_lookups (id, ts, task_type, query, hit, similarity, result, reference)
        select 'lk-' || g, now(), 'support', 'q' || g, true, case when g <= 1000 then 0.97 else 0.93 end,
               case when g > 1000 and g % 2 = 0 then 'wrong' else 'right' end, 'right'
          from generate_series(1, 1100) g;
      insert into samples (source, event_id, task_type, reason, event_ts, status, run_id)
        select 'cache', id, task_type, 'hit', ts, 'judged', 'r1' from cache_lookups order by md5(id);
      insert into judgments (sample_id, verdict, provider, method, run_id)
        select s.id, case when c.result = c.reference then 'pass' else 'fail' end, 'offline', 'token-f1', 'r1'
          from samples s join cache_lookups c on c.id = s.event_id;`);
  });
  afterAll(async () => {
    await db.close();
  });

  it("reports the run's raw sample and certifies per class, weighted, never at the lax current threshold", async () => {
    const loaded = { config: configSchema.parse({ cache: { threshold: 0.92, maxFalseHit: 0.01 } }), baseDir: '/tmp' };
    const deps = createJudgeStepDeps({ db, loaded, now: () => new Date('2026-11-26T02:00:00Z'), log: () => {} });
    const cache = await cacheStep(deps, 'r1');
    expect(cache).toMatchObject({ sampledHits: 1100, falseHits: 50, target: 0.01, currentThreshold: 0.92 });
    expect(cache!.recommendation).toBeUndefined(); // no pooled recommendation any more
    const support = cache!.perClass!.find((c) => c.taskType === 'support')!;
    expect(support).toMatchObject({
      currentThreshold: 0.92,
      hitVolume: 1100,
      judgedHits: 1100,
      currentCertified: false,
      hitShare: 1000 / 1100,
    });
    expect(support.certifiedThreshold).toBeGreaterThan(0.93);
    expect(support.certifiedThreshold).toBeLessThanOrEqual(0.97);
    expect(support.falseHitUpper).toBeLessThan(0.01);
    expect(cache!.pooled).toMatchObject({ weighting: 'hit-volume', certified: false, estimate: 50 / 1100 });
  });
});
