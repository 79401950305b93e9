import type pg from 'pg';
import type { Db } from './db.js';
import { type RetryContext, withRetry } from './pg-retry.js';
import { wrapDbError } from './wrap-error.js';

type Held = { client: pg.PoolClient; lost: boolean };

/**
 * Session-level advisory locks, each on a dedicated connection held until release, and whether a
 * lock's session still lives. `releaseAll` drops every held connection (on close).
 */
export function createPgLocks(
  pool: pg.Pool,
  ctx: RetryContext,
): Pick<Required<Db>, 'tryLock' | 'lockHeld'> & { releaseAll: () => void } {
  const lockClients = new Map<string, Held>();
  // A lost connection while taking it is retried: the lock, if it was granted, ended with that session.
  const take = (key: string) =>
    withRetry(
      ctx,
      `taking the lock "${key}"`,
      async () => {
        const client = await pool.connect();
        const held: Held = { client, lost: false };
        // The session may end under us (server restart, pg_terminate_backend, network): the lock is
        // gone with it. Without a listener the client's 'error' event would kill the process.
        const onError = (err: Error) => {
          if (!held.lost)
            ctx.log({
              event: 'db_connection_lost',
              message: `the session holding the lock "${key}" on ${ctx.location} ended (${err.message})`,
            });
          held.lost = true;
        };
        client.on('error', onError);
        try {
          const r = await client.query('select pg_try_advisory_lock(hashtext($1)) as ok', [key]);
          if (r.rows[0].ok) return { held, onError };
          client.removeListener('error', onError);
          client.release();
          return null;
        } catch (cause) {
          client.removeListener('error', onError);
          client.release(true);
          throw wrapDbError(cause, 'select pg_try_advisory_lock');
        }
      },
      () => true,
    );
  return {
    async tryLock(key: string) {
      const taken = await take(key);
      if (!taken) return null;
      const { held, onError } = taken;
      const { client } = held;
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
        const r = await held.client.query(
          `select exists(select 1 from pg_locks where locktype = 'advisory' and granted and pid = pg_backend_pid()) as held`,
        );
        return r.rows[0].held === true;
      } catch {
        held.lost = true;
        return false;
      }
    },
    releaseAll() {
      for (const h of lockClients.values()) h.client.release(true);
    },
  };
}
