import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db.js';
import { loadMigrations, migrate } from './migrate.js';
import { openPgliteDb } from './pglite-db.js';
import { testDbAdapters } from '../../test/support/test-db.js';

describe.each(testDbAdapters.filter((a) => a.enabled))('Db contract on $name', ({ create }) => {
  let db: Db;
  beforeAll(async () => {
    db = await create();
  });
  afterAll(async () => {
    await db.close();
  });

  it('applies migrations once: a second run is a no-op', async () => {
    const again = await migrate(db);
    expect(again.applied).toEqual([]);
    const ledger = await db.query<{ name: string }>('select name from driftwatch_migrations order by name');
    expect(ledger.rows.map((r) => r.name)).toContain('001_core.sql');
  });

  it('skips a vector migration exactly when pgvector is missing, and says why', async () => {
    const vector = await db.vectorAvailable();
    const r = await migrate(db, [
      {
        name: '900_probe.sql',
        sql: 'create extension if not exists vector; create table probe_vec (v vector(3));',
        requires: ['vector'],
      },
    ]);
    if (vector) {
      expect(r.applied).toEqual(['900_probe.sql']);
    } else {
      expect(r.applied).toEqual([]);
      expect(r.skipped[0].reason).toMatch(/vector extension is not installed/);
    }
  });

  it('rolls back a failed transaction', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`insert into driftwatch_state (key, value) values ('rollback-probe', '1')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const r = await db.query(`select 1 from driftwatch_state where key = 'rollback-probe'`);
    expect(r.rows).toHaveLength(0);
  });

  it('returns row counts and typed rows', async () => {
    const r = await db.query<{ n: number }>('select 41 + 1 as n');
    expect(r.rows[0].n).toBe(42);
    const ins = await db.query(
      `insert into driftwatch_state (key, value) values ('a', '1'), ('b', '2') on conflict do nothing`,
    );
    expect(ins.rowCount).toBe(2);
    const sel = await db.query(`select key from driftwatch_state where key in ('a', 'b')`);
    expect(sel.rowCount).toBe(2);
    const none = await db.query(`update driftwatch_state set value = '3' where key = 'nope'`);
    expect(none.rowCount).toBe(0);
  });

  it('hashes identically on both engines (the sampler relies on it)', async () => {
    const r = await db.query<{ h: number }>(`select hashtext('abc') as h`);
    expect(r.rows[0].h).toBe(-785388649);
  });
});

describe('migrations', () => {
  it('are numbered and the vector one is marked', () => {
    const ms = loadMigrations();
    expect(ms[0].name).toBe('001_core.sql');
    expect(ms.map((m) => m.name)).toEqual([...ms.map((m) => m.name)].sort());
  });
});

describe('embedded database folder lock', () => {
  it('refuses a second process with a clear error, and reopens after close', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'dw-lock-')), 'db');
    const db = await openPgliteDb(dir);
    // smaller shared buffers keep the never-shrinking WASM heap of a long ingest under 500 MB
    expect((await db.query<{ shared_buffers: string }>('show shared_buffers')).rows[0].shared_buffers).toBe('64MB');
    const script = path.join(path.dirname(dir), 'open.mts');
    writeFileSync(
      script,
      `import { openPgliteDb } from ${JSON.stringify(path.resolve('src/db/pglite-db.ts'))};
       try { await openPgliteDb(${JSON.stringify(dir)}); console.log('opened'); } catch (e) { console.log(e.code + ': ' + e.message); }`,
    );
    const child = spawnSync('npx', ['tsx', script], { encoding: 'utf8' });
    expect(child.stdout).toMatch(/db_locked: the embedded database .* is in use by process \d+/);
    await db.close();
    const child2 = spawnSync('npx', ['tsx', script], { encoding: 'utf8' });
    expect(child2.stdout).toContain('opened');
  });
});
