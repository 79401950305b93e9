import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { loadMigrations, migrate } from '../db/migrate.js';
import { createPgliteDb } from '../db/pglite-db.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { countSampled } from './escalator-queries.js';

// countSampled before issue 15, verbatim: it counted every sample of the monitoring period. The
// per-day counter kept by migration 014's insert trigger must give exactly the same count.
const OLD_COUNT = `select count(*)::int as n from samples where source = 'routing' and reason <> 'shadow' and task_type = $1 and event_ts >= $2`;

// Events on and around UTC midnights, routing, shadow and cache samples, three classes.
const DAY0 = Date.UTC(2026, 10, 1);
const HOUR = 3_600_000;
const offsets = [0, 1, HOUR, 23.999 * HOUR, 24 * HOUR - 1, 24 * HOUR, 24 * HOUR + 1, 36 * HOUR];
const rows = Array.from({ length: 900 }, (_, i) => ({
  source: i % 9 === 0 ? 'cache' : 'routing',
  reason: i % 9 === 0 ? 'hit' : i % 7 === 0 ? 'shadow' : 'routing',
  taskType: ['faq', 'code', 'chat'][i % 3]!,
  eventTs: new Date(DAY0 + Math.floor(i / 40) * 24 * HOUR + offsets[i % offsets.length]!).toISOString(),
}));

async function insertSamples(db: Db, list: typeof rows, from: number): Promise<void> {
  await db.query(
    `insert into samples (source, event_id, task_type, reason, event_ts)
     select source, 'e-' || (n + $5), task_type, reason, event_ts
       from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) with ordinality as v(source, task_type, reason, event_ts, n)`,
    [
      list.map((r) => r.source),
      list.map((r) => r.taskType),
      list.map((r) => r.reason),
      list.map((r) => r.eventTs),
      from,
    ],
  );
}

describe.each(testDbAdapters.filter((a) => a.enabled))('countSampled, old and new, on $name', (adapter) => {
  let db: Db;
  beforeAll(async () => {
    db = await adapter.create();
    // several statements, as sample runs add them, one of them touching days already counted
    await insertSamples(db, rows.slice(0, 300), 0);
    await insertSamples(db, rows.slice(300, 310), 300);
    await insertSamples(db, rows.slice(310), 310);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('counts the same samples for every class and start: epoch, midnights, inside a day, past the last', async () => {
    const starts = [
      new Date(0).toISOString(),
      ...Array.from({ length: 25 }, (_, d) => new Date(DAY0 + d * 24 * HOUR).toISOString()),
      ...Array.from({ length: 25 }, (_, d) => new Date(DAY0 + d * 24 * HOUR + 1).toISOString()),
      ...Array.from({ length: 25 }, (_, d) => new Date(DAY0 + d * 24 * HOUR - 1).toISOString()),
      new Date(DAY0 + 5 * 24 * HOUR + 13.5 * HOUR).toISOString(),
      '2026-11-03T10:00:00+05:00',
      '2027-06-01T00:00:00.000Z',
    ];
    let nonZero = 0;
    for (const taskType of ['faq', 'code', 'chat', 'none'])
      for (const since of starts) {
        const old = (await db.query<{ n: number }>(OLD_COUNT, [taskType, since])).rows[0]!.n;
        expect(await countSampled(db, taskType, since), `${taskType} since ${since}`).toBe(old);
        if (old > 0) nonZero++;
      }
    expect(nonZero).toBeGreaterThan(150);
    expect(await countSampled(db, 'faq', new Date(0).toISOString())).toBe(
      rows.filter((r) => r.taskType === 'faq' && r.source === 'routing' && r.reason !== 'shadow').length,
    );
  });
});

describe('migration 014 on a database with samples', () => {
  it('backfills the per-day counts, so countSampled counts the samples drawn before it', async () => {
    const db = createPgliteDb(await PGlite.create({ extensions: { vector } }), ':memory:');
    try {
      const all = loadMigrations();
      await migrate(
        db,
        all.filter((m) => m.name < '014'),
      );
      await insertSamples(db, rows.slice(0, 500), 0);
      await migrate(db, all);
      await insertSamples(db, rows.slice(500), 500);
      for (const since of [new Date(0).toISOString(), new Date(DAY0 + 3 * 24 * HOUR + 1).toISOString()]) {
        const old = (await db.query<{ n: number }>(OLD_COUNT, ['code', since])).rows[0]!.n;
        expect(old).toBeGreaterThan(100);
        expect(await countSampled(db, 'code', since)).toBe(old);
      }
    } finally {
      await db.close();
    }
  });
});
