import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import type { Db } from '../db/db.js';
import { openPgDb } from '../db/pg-db.js';
import { createTestPg, TEST_PG_URL } from '../../test/support/test-db.js';
import { runSample } from '../sampler/run-sample.js';
import { runJudge } from './run-judge.js';

const config = configSchema.parse({});
const now = () => new Date('2026-11-26T03:00:00Z');

describe.runIf(Boolean(TEST_PG_URL))('runJudge with concurrent workers on PostgreSQL', () => {
  let db: Db & { url: string };
  const workers: Db[] = [];
  beforeAll(async () => {
    db = await createTestPg();
    await db.query(
      `insert into routing_events (id, ts, task_type, model, prompt, response, reference)
       select 'w-' || g, timestamptz '2026-11-25 00:00:00+00' + g * interval '1 second', 'classify', 'gpt-4o-mini', 'p' || g,
              case when g % 50 = 0 then 'refund' else 'billing' end, 'billing'
       from generate_series(1, 3000) as g`,
    );
    await runSample({ db, now }, { sampler: config.sampler, cache: config.cache, rate: 1 });
    for (let i = 0; i < 3; i++) workers.push(await openPgDb(db.url, { max: 2 }));
  });
  afterAll(async () => {
    for (const w of workers) await w.close();
    await db?.close();
  });

  it('judges each of 3,000 samples exactly once across 3 workers with separate connections', async () => {
    const results = await Promise.all(
      workers.map((w, i) => runJudge({ db: w, now, workerId: `worker-${i}` }, { chunkSize: 40 })),
    );
    expect(results.reduce((a, r) => a + r.judged, 0)).toBe(3000);
    expect(results.map((r) => r.duplicates)).toEqual([0, 0, 0]);
    expect(results.every((r) => r.judged > 0)).toBe(true);
    const j = await db.query<{ n: number; fails: number; runs: number }>(
      `select count(*)::int as n, count(*) filter (where verdict = 'fail')::int as fails, count(distinct run_id)::int as runs from judgments`,
    );
    expect(j.rows[0]).toEqual({ n: 3000, fails: 60, runs: 3 });
    const s = await db.query<{ status: string; n: number }>(
      `select status, count(*)::int as n from samples group by 1`,
    );
    expect(s.rows).toEqual([{ status: 'judged', n: 3000 }]);
    console.log(`judged per worker: ${results.map((r) => r.judged).join(', ')}`);
  });
});
