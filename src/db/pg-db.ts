import pg from 'pg';
import pgvector from 'pgvector/pg';
import { DatabaseError } from '../errors.js';
import { wrapDbError } from './wrap-error.js';
import type { Db, Queryable, QueryResult } from './db.js';

/**
 * Connects to a PostgreSQL server (`postgres://...`) through a pg Pool. With `vectorTypes`, each
 * new connection registers pgvector's parsers (vector columns read as number[]) when the server
 * has the type; pg-pool awaits onConnect, so no query races the registration.
 */
export async function openPgDb(url: string, options: { max?: number; vectorTypes?: boolean } = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 4, ...(options.vectorTypes ? { onConnect: registerVectorTypes } : {}) });
  const location = redactUrl(url);
  pool.on('error', () => {
    // idle-client errors surface on the next query; keep the process alive
  });
  try {
    const c = await pool.connect();
    c.release();
  } catch (cause) {
    await pool.end().catch(() => {});
    throw new DatabaseError(`could not connect to PostgreSQL at ${location}: ${(cause as Error).message}`, { cause, code: 'db_connect', exitCode: 2 });
  }
  const wrap = (q: { query: pg.Pool['query'] }): Queryable => ({
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      try {
        const r = await q.query(sql, params as unknown[]);
        return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
      } catch (cause) {
        throw wrapDbError(cause, sql);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await q.query(sql);
      } catch (cause) {
        throw wrapDbError(cause, sql);
      }
    },
  });
  const base = wrap(pool);
  const lockClients = new Map<string, { client: pg.PoolClient; lost: boolean }>();
  return {
    kind: 'pg',
    location,
    ...base,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client as unknown as { query: pg.Pool['query'] }));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async vectorAvailable() {
      const r = await pool.query(`select 1 from pg_available_extensions where name = 'vector'`);
      return r.rows.length > 0;
    },
    async tryLock(key: string) {
      // Session-level advisory lock on a dedicated connection held until release.
      const client = await pool.connect();
      const r = await client.query('select pg_try_advisory_lock(hashtext($1)) as ok', [key]);
      if (!r.rows[0].ok) {
        client.release();
        return null;
      }
      const held = { client, lost: false };
      // The session may end under us (server restart, pg_terminate_backend, network): the lock is
      // gone with it. Without a listener the client's 'error' event would kill the process.
      const onError = () => { held.lost = true; };
      client.on('error', onError);
      lockClients.set(key, held);
      return async () => {
        if (lockClients.get(key) === held) lockClients.delete(key);
        try {
          if (!held.lost) await client.query('select pg_advisory_unlock(hashtext($1))', [key]);
        } catch {
          held.lost = true;
        } finally {
          client.removeListener('error', onError);
          client.release(held.lost ? true : undefined);
        }
      };
    },
    async lockHeld(key: string) {
      const held = lockClients.get(key);
      if (!held || held.lost) return false;
      try {
        const r = await held.client.query(`select exists(select 1 from pg_locks where locktype = 'advisory' and granted and pid = pg_backend_pid()) as held`);
        return r.rows[0].held === true;
      } catch {
        held.lost = true;
        return false;
      }
    },
    async close() {
      for (const h of lockClients.values()) h.client.release(true);
      await pool.end();
    },
  };
}

async function registerVectorTypes(client: pg.ClientBase): Promise<void> {
  const r = await client.query(`select 1 from pg_type where typname = 'vector'`);
  if (r.rows.length > 0) await pgvector.registerTypes(client);
}

/** Hides the password in a connection URL for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

