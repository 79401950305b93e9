import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { openPgDb } from '../db/pg-db.js';
import { createTestPg, TEST_PG_URL, testDbAdapters } from '../../test/support/test-db.js';
import { insertRoutingEvents, type TestRoutingEvent } from '../../test/support/insert-events.js';
import type { StratumAllocation } from './allocate-sample.js';
import { drawRouting, routingVolumes } from './draw-routing.js';
import { saltWindowStart } from './stratum-pick.js';
import {
  heapRowsDrawSql,
  previousVolumes,
  primaryKeyJoinDrawSql,
  runPreviousDraw,
} from './testing/previous-sample-statements.js';

// The sample run's statements before issue 15 (drawn ids joined back through the text primary key,
// the day recomputed per row) and before migration 013 (heap columns, on conflict per row) must give
// exactly the same rows as the new ones on the same data.
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

const key = (c: { taskType: string; reason: string; day: string }) => `${c.taskType}|${c.reason}|${c.day}`;
const sorted = <T extends { taskType: string; reason: string; day: string }>(xs: T[]) =>
  [...xs].sort((x, y) => key(x).localeCompare(key(y)));

async function seed(db: Db): Promise<void> {
  await insertRoutingEvents(db, events);
  await db.query(`insert into runs (id, kind) values ('run-x', 'sample')`);
  await db.query(`update routing_events set metadata = '{"shadow": true}'::jsonb where id like '%-1_'`);
  await db.query(`update routing_events set metadata = '{"shadow": "false"}'::jsonb where id like '%-2_'`);
}

// samples a verdict ingest wrote before the draw (status judged, no run): every draw must skip them
const PRESET = `insert into samples (source, event_id, task_type, reason, event_ts, status)
  select 'routing', id, task_type, 'routing', ts, 'judged' from routing_events where id like '%-3_'`;

describe.each(testDbAdapters.filter((a) => a.enabled))('sample run statements, old and new, on $name', (adapter) => {
  let db: Db;
  beforeAll(async () => {
    db = await adapter.create();
    await seed(db);
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
      expect(await routingVolumes(db, after!, upTo!)).toEqual(await previousVolumes(db, after!, upTo!));
    }
  });

  it('routing_event_counts holds every event once, by the statement that inserted it', async () => {
    const r = await db.query<{ statements: number; events: number; strata: number }>(
      `select count(distinct first_seq)::int as statements, sum(events)::int as events, count(distinct (task_type, utc_day))::int as strata from routing_event_counts`,
    );
    expect(r.rows[0]).toEqual({ statements: expect.any(Number), events: events.length, strata: 9 });
    expect(r.rows[0]!.statements).toBeGreaterThan(1);
  });

  const samples = async () =>
    (
      await db.query<{ row: string }>(
        `select concat_ws('|', source, event_id, task_type, reason, event_ts, run_id, inclusion_prob, status) as row from samples order by event_id`,
      )
    ).rows.map((x) => x.row);

  it('drawRouting inserts the same samples as both previous statements, with both plans, a wrapping window and samples already there', async () => {
    const salted = await saltWindowStart(db, 'driftwatch');
    let compared = 0;
    let round = 0;
    for (const [start, threshold, after, upTo] of [
      [salted, 50_000, 0, events.length],
      [980_000, 60_000, 0, events.length],
      [salted, 300_000, 1200, 6000],
      [0, 1_000_000, 0, events.length],
    ]) {
      for (const plan of ['strata-index', 'range-pass'] as const) {
        // samples already there on every other draw (plan and window vary under both)
        const preset = round++ % 2 === 1;
        const a = alloc(threshold!);
        const wraps = a.some((x) => start! + x.threshold > 1_000_000);
        const args = { after: after!, upTo: upTo!, strata: a, start: start!, runId: 'run-x' };
        const outcomes: { counts: unknown; rows: string[] }[] = [];
        for (const draw of [
          (q: Db) => runPreviousDraw(q, primaryKeyJoinDrawSql(plan, wraps), args),
          (q: Db) => runPreviousDraw(q, heapRowsDrawSql(plan, wraps), args),
          (q: Db) => q.transaction((tx) => drawRouting(tx, after!, upTo!, a, start!, 'run-x', plan)),
        ]) {
          await db.query('delete from samples');
          if (preset) await db.query(PRESET);
          outcomes.push({ counts: sorted(await draw(db)), rows: await samples() });
        }
        expect(outcomes[1]).toEqual(outcomes[0]);
        expect(outcomes[2]).toEqual(outcomes[0]);
        expect(outcomes[0]!.rows.some((r) => r.includes('|shadow|'))).toBe(true);
        if (preset) expect(outcomes[0]!.rows.some((r) => r.endsWith('|judged'))).toBe(true);
        compared += outcomes[0]!.rows.length;
      }
    }
    expect(compared).toBeGreaterThan(events.length);
  });

  it('drawRouting numbers the samples by event time, then event id, whichever plan drew them', async () => {
    for (const plan of ['strata-index', 'range-pass'] as const) {
      await db.query('delete from samples');
      await db.transaction((tx) => drawRouting(tx, 0, events.length, alloc(200_000), 0, 'run-x', plan));
      const byId = await db.query<{ event_id: string }>(`select event_id from samples order by id`);
      const byTime = await db.query<{ event_id: string }>(`select event_id from samples order by event_ts, event_id`);
      expect(byId.rows.length).toBeGreaterThan(1000);
      expect(byId.rows).toEqual(byTime.rows);
    }
  });
});

describe.runIf(TEST_PG_URL)('drawRouting racing a verdict ingest on PostgreSQL', () => {
  it('skips a sample another session inserts while the draw waits on it, as on conflict did', async () => {
    const db = await createTestPg();
    const other = await openPgDb(db.url, { max: 1 });
    try {
      await seed(db);
      const a = alloc(1_000_000);
      const target = 'beta-2026-11-24-5';
      // the other session holds an uncommitted sample for one event the draw is about to insert
      await other.query('begin');
      await other.query(
        `insert into samples (source, event_id, task_type, reason, event_ts, status) select 'routing', id, task_type, 'routing', ts, 'judged' from routing_events where id = $1`,
        [target],
      );
      const drawing = db.transaction((tx) => drawRouting(tx, 0, events.length, a, 0, 'run-x', 'range-pass'));
      // commit only once the draw is blocked on that row's unique check: the draw then fails its
      // not-exists insert with a unique violation and must fall back to on conflict
      for (;;) {
        const w = await db.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like '%insert into samples%'`,
        );
        if (w.rows[0]!.n > 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await other.query('commit');
      const counts = await drawing;
      expect(counts.reduce((n, c) => n + c.sampled, 0)).toBe(events.length - 1);
      const rows = await db.query<{ status: string; n: number }>(
        `select status, count(*)::int as n from samples group by 1 order by 1`,
      );
      expect(rows.rows).toEqual([
        { status: 'judged', n: 1 },
        { status: 'pending', n: events.length - 1 },
      ]);
    } finally {
      await other.close();
      await db.close();
    }
  });
});
