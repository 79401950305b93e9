import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import type { Db } from '../db/db.js';
import { openPgDb } from '../db/pg-db.js';
import { createTestPg, TEST_PG_URL } from '../../test/support/test-db.js';
import type { RoutingEvent } from '../ingest/event-schema.js';
import { storeRoutingEvents } from '../ingest/store-events.js';
import { runSample, type SampleOptions } from './run-sample.js';

const config = configSchema.parse({});
const opts: SampleOptions = { sampler: config.sampler, cache: config.cache, rate: 1 };
const now = () => new Date('2026-11-26T03:00:00Z');
const events = (prefix: string, n: number): RoutingEvent[] =>
  Array.from(
    { length: n },
    (_, i) =>
      ({
        id: `${prefix}-${i}`,
        ts: '2026-11-25T12:00:00Z',
        taskType: 'classify',
        model: 'gpt-4o-mini',
        response: 'x',
      }) as RoutingEvent,
  );

/** Holds a writer's transaction open after its rows drew their seq, until `commit` is called. */
async function openWriter(
  writer: Db,
  write: (tx: Parameters<Parameters<Db['transaction']>[0]>[0]) => Promise<unknown>,
) {
  let commit!: () => void;
  const gate = new Promise<void>((r) => {
    commit = r;
  });
  let inserted!: () => void;
  const ready = new Promise<void>((r) => {
    inserted = r;
  });
  const done = writer.transaction(async (tx) => {
    await write(tx);
    inserted();
    await gate;
  });
  await ready;
  return {
    commit: async () => {
      commit();
      await done;
    },
  };
}

const count = async (db: Db, sql: string) => (await db.query<{ n: number }>(sql)).rows[0]!.n;

/** A long ingest commits its (lower) seqs after a short one: the sampler must not step over them. */
describe.skipIf(!TEST_PG_URL)('the sampler watermark and writers committing late (PostgreSQL)', () => {
  let db: Db & { url: string };
  let writer: Db;
  beforeAll(async () => {
    db = await createTestPg();
    writer = await openPgDb(db.url);
  });
  afterAll(async () => {
    await writer?.close();
    await db?.close();
  });

  it('waits for a driftwatch writer in flight, so its events are sampled, each once', async () => {
    const slow = await openWriter(writer, (tx) => storeRoutingEvents(tx, events('slow', 100)));
    await storeRoutingEvents(db, events('fast', 100)); // higher seqs, committed first
    let finished = false;
    const sampling = runSample({ db, now }, opts).then((r) => {
      finished = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(finished).toBe(false); // held at the fence while the slow ingest is open
    await slow.commit();
    const r = await sampling;
    expect(r.examined.routing).toBe(200);
    expect(await count(db, `select count(*)::int as n from samples`)).toBe(200);
    expect((await runSample({ db, now }, opts)).examined.routing).toBe(0);
  });

  it('shows what the fence prevents: a writer that skips it commits below the watermark and is never read', async () => {
    const unfenced = await openWriter(writer, (tx) =>
      tx.query(
        `insert into routing_events (id, ts, task_type, model, response) select 'raw-' || i, '2026-11-25T13:00:00Z', 'classify', 'gpt-4o-mini', 'x' from generate_series(1, 50) i`,
      ),
    );
    await storeRoutingEvents(db, events('after', 50));
    const r = await runSample({ db, now }, opts);
    expect(r.examined.routing).toBe(50); // only the committed 'after' rows
    await unfenced.commit();
    expect((await runSample({ db, now }, opts)).examined.routing).toBe(0); // the raw rows sit below the watermark
    expect(await count(db, `select count(*)::int as n from samples where event_id like 'raw-%'`)).toBe(0);
  });
});
