import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../db/test-db.js';
import { createDefaultNightlyDeps } from './create-nightly-deps.js';

describe('createDefaultNightlyDeps cacheReport', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestPglite();
    // 400 correct hits at similarity 0.97, 50 at 0.93 of which half are false; all judged in run r1.
    await db.exec(`
      insert into runs (id, kind) values ('r1', 'nightly');
      insert into cache_lookups (id, ts, task_type, query, hit, similarity, result, reference)
        select 'lk-' || g, now(), 'support', 'q' || g, true, case when g <= 400 then 0.97 else 0.93 end,
               case when g > 400 and g % 2 = 0 then 'wrong' else 'right' end, 'right'
          from generate_series(1, 450) g;
      insert into samples (source, event_id, task_type, reason, event_ts, status, run_id)
        select 'cache', id, task_type, 'hit', ts, 'judged', 'r1' from cache_lookups;
      insert into judgments (sample_id, verdict, provider, method, run_id)
        select s.id, case when c.result = c.reference then 'pass' else 'fail' end, 'offline', 'token-f1', 'r1'
          from samples s join cache_lookups c on c.id = s.event_id;`);
  });
  afterAll(async () => {
    await db.close();
  });

  it('certifies the false-hit rate of the run and adds the semantic cache threshold recommendation', async () => {
    const loaded = { config: configSchema.parse({ cache: { threshold: 0.92, maxFalseHit: 0.01 } }), baseDir: '/tmp' };
    const deps = createDefaultNightlyDeps({ db, loaded, now: () => new Date('2026-11-26T02:00:00Z'), log: () => {} });
    const cache = await deps.cacheReport({ runId: 'r1' });
    expect(cache).toMatchObject({ sampledHits: 450, falseHits: 25, target: 0.01, currentThreshold: 0.92 });
    expect(cache!.upper).toBeGreaterThan(0.01); // 25/450 is far above 1%: not certified at 0.92
    expect(cache!.recommendation).toMatchObject({ hitShare: 400 / 450 });
    expect(cache!.recommendation!.threshold).toBeGreaterThan(0.93);
    expect(cache!.recommendation!.threshold).toBeLessThanOrEqual(0.97);
    expect(cache!.recommendation!.falseHitUpper).toBeLessThan(0.01);
  });
});
