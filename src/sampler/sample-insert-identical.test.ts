import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { insertRoutingEvents, type TestRoutingEvent } from '../../test/support/insert-events.js';
import type { StratumAllocation } from './allocate-sample.js';
import { drawRouting, routingVolumes, saltWindowStart, stratumPickSql, type DrawPlan } from './sampler-queries.js';

// The sample run's two statements before issue 15, verbatim: the insert joined every drawn id back
// to routing_events through the text primary key, and the volumes recomputed each row's UTC day.
// The new statements must give exactly the same rows on the same data.
const OLD_VOLUMES = `select task_type, to_char(day, 'YYYY-MM-DD') as day, volume, latest from (
       select task_type, (ts at time zone 'UTC')::date as day, count(*)::int as volume, max(ts) as latest
       from routing_events where seq > $1 and seq <= $2 group by 1, 2) as v order by 1, 2`;

function oldDrawSql(plan: DrawPlan, wraps: boolean): string {
  const strata = `select * from unnest($3::text[], $4::date[], $5::int[]) as a(task_type, day, threshold)`;
  return `with picked as (${stratumPickSql(strata, 'e.seq > $1 and e.seq <= $2', '$6::int', plan, wraps)}),
     ins as (
       insert into samples (source, event_id, task_type, reason, event_ts, run_id, inclusion_prob)
       select 'routing', e.id, e.task_type, case when e.metadata->>'shadow' = 'true' then 'shadow' else 'routing' end, e.ts, $7, p.threshold / 1000000.0
       from picked p join routing_events e on e.id = p.id
       on conflict (source, event_id) do nothing
       returning task_type, reason, event_ts)
     select task_type, reason, to_char((event_ts at time zone 'UTC')::date, 'YYYY-MM-DD') as day, count(*)::int as n from ins group by 1, 2, 3`;
}

const classes = ['alpha', 'beta', 'gamma'];
const days = ['2026-11-23', '2026-11-24', '2026-11-25'];
// Hours run past midnight in a few time zones' sense; seconds spread the latest ts of each day.
const events: TestRoutingEvent[] = classes.flatMap((cls) =>
  days.flatMap((d) =>
    Array.from({ length: 900 }, (_, i) => ({
      id: `${cls}-${d}-${i}`,
      ts: `${d}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z`,
      taskType: cls,
      response: 'x',
    })),
  ),
);

const alloc = (threshold: number): StratumAllocation[] =>
  classes.flatMap((taskType) =>
    days.map((day) => ({
      source: 'routing' as const,
      reason: 'routing',
      taskType,
      day,
      volume: 900,
      target: 0,
      rate: threshold / 1e6,
      boost: 1,
      threshold,
    })),
  );

describe.each(testDbAdapters.filter((a) => a.enabled))('sample run statements, old and new, on $name', (adapter) => {
  let db: Db;
  beforeAll(async () => {
    db = await adapter.create();
    await insertRoutingEvents(db, events);
    await db.query(`insert into runs (id, kind) values ('run-x', 'sample')`);
    await db.query(`update routing_events set metadata = '{"shadow": true}'::jsonb where id like '%-1_'`);
    await db.query(`update routing_events set metadata = '{"shadow": "false"}'::jsonb where id like '%-2_'`);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('routingVolumes: the same counts and latest ts per (class, day) as recomputing the day per row', async () => {
    const maxSeq = events.length;
    for (const [after, upTo] of [
      [0, maxSeq],
      [1000, 5000],
      [2699, 2701],
      [maxSeq, maxSeq],
    ]) {
      const old = (
        await db.query<{ task_type: string; day: string; volume: number; latest: Date | string }>(OLD_VOLUMES, [
          after,
          upTo,
        ])
      ).rows.map((x) => ({
        source: 'routing',
        reason: 'routing',
        taskType: x.task_type,
        day: x.day,
        volume: x.volume,
        latestTs: new Date(x.latest).toISOString(),
      }));
      expect(await routingVolumes(db, after!, upTo!)).toEqual(old);
    }
  });

  const samples = async () =>
    (
      await db.query<{ row: string }>(
        `select concat_ws('|', source, event_id, task_type, reason, event_ts, run_id, inclusion_prob, status) as row from samples order by event_id`,
      )
    ).rows.map((x) => x.row);

  it('drawRouting inserts the same samples as the primary-key join, with both plans and a wrapping window', async () => {
    const salted = await saltWindowStart(db, 'driftwatch');
    let compared = 0;
    for (const [start, threshold, after, upTo] of [
      [salted, 50_000, 0, events.length],
      [980_000, 60_000, 0, events.length],
      [salted, 300_000, 1200, 6000],
      [0, 1_000_000, 0, events.length],
    ]) {
      for (const plan of ['strata-index', 'range-pass'] as const) {
        const a = alloc(threshold!);
        const wraps = a.some((x) => start! + x.threshold > 1_000_000);
        await db.query('delete from samples');
        const oldCounts = (
          await db.query<{ task_type: string; reason: string; day: string; n: number }>(oldDrawSql(plan, wraps), [
            after,
            upTo,
            a.map((x) => x.taskType),
            a.map((x) => x.day),
            a.map((x) => x.threshold),
            start,
            'run-x',
          ])
        ).rows.map((x) => ({ taskType: x.task_type, reason: x.reason, day: x.day, sampled: x.n }));
        const oldRows = await samples();
        await db.query('delete from samples');
        const newCounts = await drawRouting(db, after!, upTo!, a, start!, 'run-x', plan);
        const key = (c: { taskType: string; reason: string; day: string }) => `${c.taskType}|${c.reason}|${c.day}`;
        expect([...newCounts].sort((x, y) => key(x).localeCompare(key(y)))).toEqual(
          [...oldCounts].sort((x, y) => key(x).localeCompare(key(y))),
        );
        expect(await samples()).toEqual(oldRows);
        expect(oldRows.some((r) => r.includes('|shadow|'))).toBe(true);
        compared += oldRows.length;
      }
    }
    expect(compared).toBeGreaterThan(events.length);
  });
});
