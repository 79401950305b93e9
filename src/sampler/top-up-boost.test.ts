import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import type { Db } from '../db/db.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { insertRoutingEvents } from '../../test/support/insert-events.js';
import { runSample } from './run-sample.js';
import { topUpBoost } from './top-up-boost.js';

// Issue 11 item 5: the boost is decided in the same run that sees S rise, not one run later.
const config = configSchema.parse({});
const pglite = testDbAdapters.find((a) => a.name === 'pglite')!;

describe('same-run boost top-up (PGlite)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await pglite.create();
  });
  afterAll(async () => db?.close());

  it('draws the range again at 4x once the escalator raised S to 0.2 H, and re-weights the earlier samples', async () => {
    const now = () => new Date('2026-11-26T00:30:00Z');
    await insertRoutingEvents(
      db,
      Array.from({ length: 10_000 }, (_, i) => ({
        id: `e-${i}`,
        ts: new Date(Date.parse('2026-11-25T00:00:00Z') + i * 8_640).toISOString(),
        taskType: 'c',
        response: 'x',
      })),
    );
    const first = await runSample({ db, now }, { sampler: config.sampler, cache: config.cache });
    expect(first.strata[0].boost).toBe(1);
    expect(await topUpBoost({ db, now }, { sampler: config.sampler, runId: first.runId })).toEqual([]);
    // the escalator of the same run moves S to 40 of H 170 (>= 0.2 H)
    await db.query(`insert into driftwatch_state (key, value) values ('cusum:c', '{"S": 40, "H": 170}')`);
    const topped = await topUpBoost({ db, now }, { sampler: config.sampler, runId: first.runId });
    expect(topped).toMatchObject([{ taskType: 'c', day: '2026-11-25', from: 1, to: 4 }]);
    const rows = await db.query<{ n: number; p: number }>(
      `select count(*)::int as n, min(inclusion_prob) as p from samples`,
    );
    expect(rows.rows[0].n).toBeGreaterThan(3.3 * first.sampled.routing);
    expect(rows.rows[0].n).toBeLessThan(4.7 * first.sampled.routing);
    expect(rows.rows[0].n).toBe(first.sampled.routing + topped[0].added);
    // one design for the whole range: every sample at 4 x the day's base rate (220 / 10,000)
    const probs = await db.query<{ p: number }>(`select distinct inclusion_prob as p from samples`);
    expect(probs.rows.map((x) => x.p)).toEqual([0.088]);
    // the same boost is not drawn twice
    expect(await topUpBoost({ db, now }, { sampler: config.sampler, runId: first.runId })).toEqual([]);
  }, 120_000);
});
