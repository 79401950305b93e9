import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { insertRoutingEvents, type TestRoutingEvent } from '../../test/support/insert-events.js';
import type { StratumAllocation } from './allocate-sample.js';
import { chooseDrawPlan, saltWindowStart, stratumPickSql } from './stratum-pick.js';

const classes = ['alpha', 'beta', 'gamma'];
const days = ['2026-11-24', '2026-11-25'];
const events: TestRoutingEvent[] = classes.flatMap((cls) =>
  days.flatMap((d) =>
    Array.from({ length: 2000 }, (_, i) => ({
      id: `${cls}-${d}-${i}`,
      ts: `${d}T${String(i % 24).padStart(2, '0')}:00:00Z`,
      taskType: cls,
      response: 'x',
    })),
  ),
);

const alloc = (threshold: number, volume = 2000): StratumAllocation[] =>
  classes.flatMap((taskType) =>
    days.map((day) => ({
      source: 'routing' as const,
      reason: 'routing',
      taskType,
      day,
      volume,
      target: 0,
      rate: threshold / 1e6,
      boost: 1,
      threshold,
    })),
  );

describe.each(testDbAdapters.filter((a) => a.enabled))('the two draw plans on $name', (adapter) => {
  let db: Db;
  beforeAll(async () => {
    db = await adapter.create();
    await insertRoutingEvents(db, events);
  });
  afterAll(async () => {
    await db?.close();
  });

  const pick = async (
    a: StratumAllocation[],
    start: number,
    plan: 'strata-index' | 'range-pass',
    where = 'e.seq > 0',
  ) => {
    const strata = `select * from unnest($1::text[], $2::date[], $3::int[]) as a(task_type, day, threshold)`;
    const run = async (wraps: boolean) =>
      (
        await db.query<{ id: string }>(stratumPickSql(strata, where, '$4::int', plan, wraps), [
          a.map((x) => x.taskType),
          a.map((x) => x.day),
          a.map((x) => x.threshold),
          start,
        ])
      ).rows
        .map((x) => x.id)
        .sort();
    const ids = await run(true);
    // what drawRouting sends when no window wraps: the single range must give the same ids
    if (plan === 'strata-index' && a.every((x) => start + x.threshold <= 1_000_000))
      expect(await run(false)).toEqual(ids);
    return ids;
  };

  it('draw exactly the same events, with and without the window wrapping past 1,000,000', async () => {
    const salted = await saltWindowStart(db, 'driftwatch');
    for (const [start, threshold] of [
      [salted, 50_000],
      [980_000, 50_000],
      [0, 1_000_000],
      [999_999, 1_000_000],
      [salted, 1],
    ]) {
      const viaIndex = await pick(alloc(threshold!), start!, 'strata-index');
      expect(await pick(alloc(threshold!), start!, 'range-pass')).toEqual(viaIndex);
      if (threshold === 1_000_000) expect(viaIndex).toHaveLength(events.length);
    }
    const five = await pick(alloc(50_000), salted, 'strata-index');
    expect(five.length).toBeGreaterThan(events.length * 0.04);
    expect(five.length).toBeLessThan(events.length * 0.06);
    // a larger threshold keeps every event of a smaller one (boosts never drop an earlier draw)
    const ten = new Set(await pick(alloc(100_000), salted, 'strata-index'));
    expect(five.every((id) => ten.has(id))).toBe(true);
  });

  it('agree on a seq range inside the days (an incremental run)', async () => {
    const start = await saltWindowStart(db, 'driftwatch');
    const where = 'e.seq > 3000 and e.seq <= 9000';
    expect(await pick(alloc(200_000), start, 'range-pass', where)).toEqual(
      await pick(alloc(200_000), start, 'strata-index', where),
    );
  });
});

describe('chooseDrawPlan', () => {
  it('uses the strata index for a few percent of a large range and the pass otherwise', () => {
    expect(chooseDrawPlan(alloc(50_000, 300_000), 1_800_000)).toBe('strata-index'); // 5% of a big backfill
    expect(chooseDrawPlan(alloc(1_000_000, 2000), 12_000)).toBe('range-pass'); // small classes sampled whole
    expect(chooseDrawPlan(alloc(50_000, 300_000), 10_000)).toBe('range-pass'); // a small batch joining big days
  });
});
