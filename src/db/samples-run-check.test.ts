import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db.js';
import { testDbAdapters } from '../../test/support/test-db.js';

// Migration 013 replaced the samples.run_id foreign key with a check once per statement; the rule
// must hold as the foreign key held it, with the same SQLSTATE (23503).
const sample = (id: string, run: string | null) =>
  `insert into samples (source, event_id, task_type, reason, event_ts, run_id) values ('routing', '${id}', 'qa', 'routing', now(), ${run === null ? 'null' : `'${run}'`})`;

describe.each(testDbAdapters.filter((a) => a.enabled))('samples.run_id check on $name', (adapter) => {
  let db: Db;
  beforeAll(async () => {
    db = await adapter.create();
    await db.query(
      `insert into runs (id, kind) values ('run-a', 'sample'), ('run-b', 'sample'), ('run-empty', 'sample')`,
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  it('accepts samples of existing runs and without a run, in one statement or many', async () => {
    await db.query(sample('e1', 'run-a'));
    await db.query(sample('e2', null));
    await db.query(
      `insert into samples (source, event_id, task_type, reason, event_ts, run_id)
       select 'routing', 'm' || g, 'qa', 'routing', now(), case when g % 2 = 0 then 'run-a' else 'run-b' end from generate_series(1, 50) g`,
    );
    const r = await db.query<{ n: number }>(`select count(*)::int as n from samples`);
    expect(r.rows[0]!.n).toBe(52);
  });

  it('refuses a statement naming a run that does not exist, inserting none of its rows', async () => {
    await expect(
      db.query(
        `insert into samples (source, event_id, task_type, reason, event_ts, run_id)
         select 'routing', 'x' || g, 'qa', 'routing', now(), case when g = 7 then 'run-missing' else 'run-a' end from generate_series(1, 10) g`,
      ),
    ).rejects.toMatchObject({ code: 'pg_23503', cause: { detail: expect.stringContaining('run-missing') } });
    const r = await db.query<{ n: number }>(`select count(*)::int as n from samples where event_id like 'x%'`);
    expect(r.rows[0]!.n).toBe(0);
  });

  it('refuses moving a sample to a missing run, accepts moving it to an existing one', async () => {
    await expect(db.query(`update samples set run_id = 'run-nope' where event_id = 'e1'`)).rejects.toMatchObject({
      code: 'pg_23503',
    });
    await db.query(`update samples set run_id = 'run-b' where event_id = 'e1'`);
    await db.query(`update samples set status = 'claimed' where event_id = 'e1'`);
  });

  it('refuses deleting or renaming a run that samples name, allows it for a run without samples', async () => {
    await expect(db.query(`delete from runs where id = 'run-a'`)).rejects.toMatchObject({ code: 'pg_23503' });
    await expect(db.query(`update runs set id = 'run-a2' where id = 'run-a'`)).rejects.toMatchObject({
      code: 'pg_23503',
    });
    await db.query(`update runs set status = 'ok' where id = 'run-a'`);
    await db.query(`delete from runs where id = 'run-empty'`);
    const r = await db.query<{ id: string }>(`select id from runs order by id`);
    expect(r.rows.map((x) => x.id)).toEqual(['run-a', 'run-b']);
  });
});
