import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import type { Db } from '../db/db.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { insertCacheLookups, insertRoutingEvents, type TestRoutingEvent } from '../../test/support/insert-events.js';
import { runSample, type SampleOptions } from './run-sample.js';

const config = configSchema.parse({});
const opts = (o: Partial<SampleOptions> = {}): SampleOptions => ({
  sampler: config.sampler,
  cache: config.cache,
  ...o,
});
const now = () => new Date('2026-11-26T03:00:00Z');

function day(d: string, cls: string, n: number, prefix = d): TestRoutingEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${cls}-${i}`,
    ts: `${d}T${String(i % 24).padStart(2, '0')}:00:00Z`,
    taskType: cls,
    response: 'x',
  }));
}

const drawnByAdapter: Record<string, string[]> = {};

describe.each(testDbAdapters.filter((a) => a.enabled))('runSample on $name', (adapter) => {
  let db: Db;
  beforeAll(async () => {
    db = await adapter.create();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('draws max(100, 2.2 sqrt V) per class and day, or every event of a small class', async () => {
    await insertRoutingEvents(db, [...day('2026-11-24', 'big', 10_000), ...day('2026-11-24', 'small', 60)]);
    const r = await runSample({ db, now }, opts());
    const big = r.strata.find((s) => s.taskType === 'big')!;
    const small = r.strata.find((s) => s.taskType === 'small')!;
    expect(big.target).toBe(220);
    expect(big.sampled).toBeGreaterThan(180);
    expect(big.sampled).toBeLessThan(260);
    expect(small).toMatchObject({ volume: 60, rate: 1, sampled: 60 });
    expect(r.examined.routing).toBe(10_060);
    const ids = await db.query<{ event_id: string }>(
      `select event_id from samples where source = 'routing' order by event_id`,
    );
    drawnByAdapter[adapter.name] = ids.rows.map((x) => x.event_id);
  });

  it('draws nothing new when rerun over the same events', async () => {
    const r = await runSample({ db, now }, opts());
    expect(r.examined.routing).toBe(0);
    expect(r.sampled.routing).toBe(0);
    const c = await db.query<{ n: number }>(`select count(*)::int as n from samples`);
    expect(c.rows[0].n).toBe(drawnByAdapter[adapter.name].length);
  });

  it('reads only the events of a new day (watermark), sizing only that day', async () => {
    const before = (await db.query<{ n: number }>(`select count(*)::int as n from routing_events`)).rows[0].n;
    await insertRoutingEvents(db, day('2026-11-25', 'big', 400));
    const r = await runSample({ db, now }, opts());
    expect(r.examined.routing).toBe(400);
    expect(r.watermark.routing).toBeGreaterThanOrEqual(before + 400);
    expect(r.strata.map((s) => [s.taskType, s.day, s.volume])).toEqual([['big', '2026-11-25', 400]]);
    // the day's rate is fixed from the class's trailing volume (10,000 on 11-24): 220 / 10,000
    expect(r.strata[0].rate).toBeCloseTo(0.022, 12);
    const fixed = await db.query<{ basis: string; expected_volume: number }>(
      `select basis, expected_volume from stratum_rates where task_type = 'big' and day = '2026-11-25'`,
    );
    expect(fixed.rows).toEqual([{ basis: 'trailing-mean', expected_volume: 10_000 }]);
  });

  it('counts a day arriving in two batches as one volume, without re-reading the first batch', async () => {
    await insertRoutingEvents(db, day('2026-11-20', 'late', 300, 'a'));
    const first = await runSample({ db, now }, opts());
    expect(first.strata).toMatchObject([{ taskType: 'late', volume: 300 }]);
    await insertRoutingEvents(db, day('2026-11-20', 'late', 300, 'b'));
    const second = await runSample({ db, now }, opts());
    expect(second.examined.routing).toBe(300);
    // the day was sized once (300 events covering it: rate 1/3) and keeps that rate for late events
    expect(second.strata).toMatchObject([{ taskType: 'late', day: '2026-11-20', volume: 600, target: 200 }]);
    expect(second.strata[0].rate).toBeCloseTo(1 / 3, 12);
  });

  it('boosts a class whose CUSUM statistic is elevated (S >= 0.2 H) by 4x', async () => {
    await db.query(`insert into driftwatch_state (key, value) values ('cusum:big', '{"S": 40, "H": 170}')`);
    await insertRoutingEvents(db, day('2026-11-26', 'big', 2500));
    const r = await runSample({ db, now }, opts());
    // base rate from the trailing mean (10,000 and 400: 5,200/day) = 2.2 sqrt(5200) / 5200, times 4
    expect(r.strata[0].boost).toBe(4);
    expect(r.strata[0].rate).toBeCloseTo((4 * 2.2 * Math.sqrt(5200)) / 5200, 12);
    const probs = await db.query<{ p: number }>(
      `select distinct inclusion_prob as p from samples where task_type = 'big' and event_ts >= '2026-11-26'`,
    );
    expect(probs.rows.map((x) => x.p)).toEqual([Math.round(r.strata[0].rate * 1e6) / 1e6]);
    await db.query(`delete from driftwatch_state where key = 'cusum:big'`);
  });

  it('draws events logged with metadata.shadow as shadow samples', async () => {
    await insertRoutingEvents(db, day('2026-11-20', 'shadowed', 3));
    await db.query(`update routing_events set metadata = '{"shadow": true}' where id = '2026-11-20-shadowed-1'`);
    await runSample({ db, now }, opts({ rate: 1 }));
    const r = await db.query<{ event_id: string; reason: string }>(
      `select event_id, reason from samples where task_type = 'shadowed' order by event_id`,
    );
    expect(r.rows.map((x) => x.reason)).toEqual(['routing', 'shadow', 'routing']);
  });

  it('samples cache hits and near-misses below the threshold, with a flat --rate', async () => {
    await insertCacheLookups(db, [
      { id: 'h1', ts: '2026-11-25T01:00:00Z', taskType: 'faq', hit: true, similarity: 0.95 },
      { id: 'n1', ts: '2026-11-25T01:00:00Z', taskType: 'faq', hit: false, similarity: 0.9 },
      { id: 'far', ts: '2026-11-25T01:00:00Z', taskType: 'faq', hit: false, similarity: 0.5 },
      { id: 'own', ts: '2026-11-25T01:00:00Z', taskType: 'faq', hit: false, similarity: 0.79, threshold: 0.8 },
      { id: 'u1', ts: '2026-11-25T01:00:00Z', hit: true, similarity: 0.99 },
    ]);
    const r = await runSample({ db, now }, opts({ rate: 1 }));
    const rows = await db.query<{ event_id: string; reason: string; task_type: string }>(
      `select event_id, reason, task_type from samples where source = 'cache' order by event_id`,
    );
    expect(rows.rows).toEqual([
      { event_id: 'h1', reason: 'hit', task_type: 'faq' },
      { event_id: 'n1', reason: 'near_miss', task_type: 'faq' },
      { event_id: 'own', reason: 'near_miss', task_type: 'faq' },
      { event_id: 'u1', reason: 'hit', task_type: '(untyped)' },
    ]);
    expect(r.sampled.cache).toBe(4);
  });
});

describe('runSample across engines', () => {
  it.runIf(testDbAdapters.every((a) => a.enabled))('draws the same events on PGlite and PostgreSQL', () => {
    expect(drawnByAdapter.postgres.length).toBeGreaterThan(200);
    expect(drawnByAdapter.postgres).toEqual(drawnByAdapter.pglite);
  });
});
