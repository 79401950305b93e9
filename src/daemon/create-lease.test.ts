import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { acquireFolderLock } from '../db/folder-lock.js';
import { createTestPg, TEST_PG_URL } from '../../test/support/test-db.js';
import { advisoryLeaderLease, folderLease, sharedLease } from './create-lease.js';

/** Opens "a database" the way openPgliteDb does: the real folder lock first (no WASM start-up needed here). */
function lockedOpener(dir: string): () => Promise<Db> {
  return async () => {
    const release = acquireFolderLock(`${dir}.lock`, dir);
    return { kind: 'pglite', location: dir, close: async () => release() } as unknown as Db;
  };
}

describe('folderLease', () => {
  it('grants an embedded folder to one holder at a time and to the next once released', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'dw-lease-')), 'db');
    const acquire = folderLease(lockedOpener(dir));
    const first = await acquire();
    expect(first).not.toBeNull();
    expect(await acquire()).toBeNull(); // the folder lock is held
    await first!.release();
    const second = await acquire();
    expect(second).not.toBeNull();
    await second!.release();
  });
});

describe.skipIf(!TEST_PG_URL)('advisoryLeaderLease on PostgreSQL', () => {
  let a: Db;
  let b: Db & { url: string };
  beforeAll(async () => {
    b = await createTestPg();
    const { openPgDb } = await import('../db/pg-db.js');
    a = await openPgDb(b.url);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('lets exactly one pool lead; the other gets it after release, and workers always proceed', async () => {
    const leadA = await advisoryLeaderLease(a)();
    expect(leadA).not.toBeNull();
    expect(await advisoryLeaderLease(b)()).toBeNull();
    expect(await sharedLease(b)()).not.toBeNull();
    await leadA!.release();
    const leadB = await advisoryLeaderLease(b)();
    expect(leadB).not.toBeNull();
    await leadB!.release();
  });

  it("notices when the lock's session is terminated: held() turns false, a standby can lead, release does not throw", async () => {
    const leadA = await advisoryLeaderLease(a)();
    expect(await leadA!.held!()).toBe(true);
    // what a server restart or an idle-session kill does to the leader's lock connection
    const killed = await b.query<{ n: number }>(
      `select count(pg_terminate_backend(pid))::int as n from pg_locks
        where locktype = 'advisory' and granted and pid <> pg_backend_pid() and database = (select oid from pg_database where datname = current_database())`,
    );
    expect(killed.rows[0]!.n).toBe(1);
    await expect.poll(() => leadA!.held!(), { timeout: 120_000 }).toBe(false); // a ceiling: it returns as soon as held() is false
    const leadB = await advisoryLeaderLease(b)();
    expect(leadB).not.toBeNull();
    await leadA!.release();
    expect(await a.query('select 1 as one')).toMatchObject({ rows: [{ one: 1 }] }); // the pool still serves
    await leadB!.release();
  });
});
