import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseError } from '../errors.js';
import type { DbEvent } from './connection-loss.js';
import type { Db } from './db.js';
import { openPgDb } from './pg-db.js';
import { createTestPg, terminateBackends, TEST_PG_URL } from '../../test/support/test-db.js';

/** Resolves once `predicate` holds (checked every 20 ms), within a generous ceiling. */
async function until(predicate: () => Promise<boolean> | boolean, what: string, ceilingMs = 30_000): Promise<void> {
  for (const end = Date.now() + ceilingMs; !(await predicate()); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}

describe.skipIf(!TEST_PG_URL)('openPgDb when the server ends its sessions (pg_terminate_backend)', () => {
  let owner: Db & { url: string };
  let db: Db;
  const events: DbEvent[] = [];
  beforeAll(async () => {
    owner = await createTestPg();
    await owner.exec(`create table t (id int primary key, n int not null default 0)`);
    db = await openPgDb(owner.url, { retry: { baseDelayMs: 20, maxDelayMs: 200 }, log: (e) => events.push(e) });
  });
  afterAll(async () => {
    await db.close();
    await owner.close();
  });
  const count = async () => Number((await owner.query<{ n: string }>('select count(*) as n from t')).rows[0]!.n);

  it('a transaction whose session ends mid-way rolls back with db_connection_lost, and the process lives on', async () => {
    let reached = false;
    const tx = db.transaction(async (q) => {
      await q.query('insert into t (id) values (1)');
      reached = true;
      for (;;) {
        await new Promise((r) => setTimeout(r, 20)); // idle in transaction (the client has no statement running)
        await q.query('select 1');
      }
    });
    await until(() => reached, 'the insert');
    // pg_terminate_backend of a client inside a transaction used to emit an unhandled 'error' and kill the process
    expect(await terminateBackends(owner.url, 'backend_xid is not null')).toBe(1);
    const err = await tx.catch((e) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err.code).toBe('db_connection_lost');
    expect(err.message).toMatch(/rolled back/);
    expect(await count()).toBe(0);
    expect(await db.query('select 1 as one')).toMatchObject({ rows: [{ one: 1 }] });
  });

  it('a transaction marked retry runs again from the start and commits once', async () => {
    let attempts = 0;
    const out = await db.transaction(
      async (q) => {
        attempts++;
        await q.query('insert into t (id) values (2) on conflict (id) do update set n = t.n + 1');
        if (attempts === 1) {
          await terminateBackends(owner.url, 'backend_xid is not null');
          await until(
            async () =>
              await q.query('select 1').then(
                () => false,
                () => true,
              ),
            'the session to end',
          );
        }
        return attempts;
      },
      { retry: true },
    );
    expect(out).toBe(2);
    expect((await owner.query('select id, n from t where id = 2')).rows).toEqual([{ id: 2, n: 0 }]); // the first attempt rolled back
    expect(events.some((e) => e.event === 'db_retry' && /from the start/.test(e.message))).toBe(true);
  });

  it('retries a statement the server aborted when it ended the session, so it applies exactly once', async () => {
    const insert = db.query('insert into t (id) select 3 from pg_sleep(1.5)');
    await until(
      async () =>
        (
          await owner.query(
            `select 1 from pg_stat_activity where datname = current_database() and query like 'insert into t (id) select 3%' and state = 'active'`,
          )
        ).rows.length > 0,
      'the insert to run',
    );
    expect(await terminateBackends(owner.url, `query like 'insert into t (id) select 3%'`)).toBe(1);
    await insert;
    expect((await owner.query('select id from t where id = 3')).rows).toEqual([{ id: 3 }]);
  }, 60_000);

  it('serves the next statements after every idle pooled session was ended', async () => {
    await Promise.all([1, 2, 3].map(() => db.query('select pg_sleep(0.05)')));
    expect(await terminateBackends(owner.url, `state = 'idle'`)).toBeGreaterThan(0);
    const rows = await Promise.all([1, 2, 3, 4].map((i) => db.query<{ i: number }>('select $1::int as i', [i])));
    expect(rows.map((r) => r.rows[0]!.i)).toEqual([1, 2, 3, 4]);
  });

  it('starts a transaction on a fresh session when the pooled one had ended (nothing ran yet, so no retry flag is needed)', async () => {
    for (let round = 0; round < 3; round++) {
      await Promise.all([1, 2, 3, 4].map(() => db.query('select pg_sleep(0.02)')));
      await terminateBackends(owner.url, `state = 'idle'`);
      const out = await Promise.all(
        [1, 2, 3, 4].map((i) =>
          db.transaction(async (q) => (await q.query<{ i: number }>('select $1::int as i', [i])).rows[0]!.i),
        ),
      );
      expect(out).toEqual([1, 2, 3, 4]);
    }
  });

  it('notices a lost lock session without crashing and takes the lock again', async () => {
    const release = await db.tryLock('dw:test-lock');
    expect(release).not.toBeNull();
    expect(await db.lockHeld!('dw:test-lock')).toBe(true);
    expect(await terminateBackends(owner.url, `pid in (select pid from pg_locks where locktype = 'advisory')`)).toBe(1);
    await until(async () => !(await db.lockHeld!('dw:test-lock')), 'the lock to be lost');
    await release!();
    const again = await db.tryLock('dw:test-lock');
    expect(again).not.toBeNull();
    await again!();
  });
});
