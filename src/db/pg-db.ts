import pg from 'pg';
import pgvector from 'pgvector/pg';
import { DatabaseError } from '../errors.js';
import {
  backoffMs,
  connectionLostError,
  DEFAULT_RETRY,
  isConnectionLoss,
  isReadOnly,
  surelyNotApplied,
  type DbEvent,
  type RetryPolicy,
} from './connection-loss.js';
import { wrapDbError } from './wrap-error.js';
import type { Db, Queryable, QueryResult } from './db.js';

/** Options of the PostgreSQL adapter. */
export interface PgDbOptions {
  max?: number;
  vectorTypes?: boolean;
  /** How a lost connection is retried (default DEFAULT_RETRY: 8 attempts, 200 ms doubling to 5 s). */
  retry?: Partial<RetryPolicy>;
  /** Lost connections, retries and server notices, one event each (the CLI prints them on stderr). */
  log?: (event: DbEvent) => void;
  sleep?: (ms: number) => Promise<void>;
}

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 60);
const messageOf = (err: unknown) => (err as Error).message ?? String(err);

/**
 * Connects to a PostgreSQL server (`postgres://...`) through a pg Pool. With `vectorTypes`, each
 * new connection registers pgvector's parsers (vector columns read as number[]) when the server
 * has the type; pg-pool awaits onConnect, so no query races the registration.
 *
 * Every client has an error listener, so a dropped connection never kills the process: idle ones
 * leave the pool, statements that read or certainly never ran are retried with backoff, and a
 * transaction is retried whole when its caller marks it safe (see Db.transaction).
 */
export async function openPgDb(url: string, options: PgDbOptions = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 4,
    ...(options.vectorTypes ? { onConnect: registerVectorTypes } : {}),
  });
  const location = redactUrl(url);
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const log = options.log ?? (() => {});
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // Server notices (RAISE NOTICE, "relation already exists, skipping") become log events, which the
  // CLI writes to stderr: never to stdout, where --json prints its one object.
  pool.on('connect', (client) => {
    client.on('notice', (n) =>
      log({ event: 'db_notice', message: `server ${n.severity ?? 'NOTICE'}: ${n.message ?? ''}` }),
    );
  });
  pool.on('error', (err) => {
    log({
      event: 'db_connection_lost',
      message: `an idle connection to ${location} was lost (${err.message}); a new one is opened on next use`,
    });
  });
  try {
    const c = await pool.connect();
    c.release();
  } catch (cause) {
    await pool.end().catch(() => {});
    throw new DatabaseError(`could not connect to PostgreSQL at ${location}: ${(cause as Error).message}`, {
      cause,
      code: 'db_connect',
      exitCode: 2,
    });
  }

  /** Runs `run` again after a lost connection while `retryable(err)` allows, with backoff and a ceiling. */
  async function withRetry<T>(what: string, run: () => Promise<T>, retryable: (err: unknown) => boolean): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (err) {
        if (!isConnectionLoss(err)) throw err;
        if (!retryable(err))
          throw connectionLostError(
            `lost the connection to ${location} while ${what}; it may or may not have taken effect: ${messageOf(err)}`,
            err,
          );
        if (attempt >= policy.attempts) {
          log({
            event: 'db_gave_up',
            message: `lost the connection to ${location} ${attempt} times while ${what}; giving up`,
            attempt,
          });
          throw connectionLostError(
            `lost the connection to ${location} ${attempt} times while ${what}; giving up: ${messageOf(err)}`,
            err,
          );
        }
        const delayMs = backoffMs(policy, attempt);
        log({
          event: 'db_retry',
          message: `lost the connection to ${location} while ${what} (${messageOf(err)}); retry ${attempt} of ${policy.attempts - 1} in ${delayMs} ms`,
          attempt,
          delayMs,
        });
        await sleep(delayMs);
      }
    }
  }

  const connect = () =>
    withRetry(
      'connecting',
      () => pool.connect(),
      () => true,
    );

  const inSession = (client: pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      try {
        const r = await client.query(sql, params);
        return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
      } catch (cause) {
        throw wrapDbError(cause, sql);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await client.query(sql);
      } catch (cause) {
        throw wrapDbError(cause, sql);
      }
    },
  });

  const autocommit: Queryable = {
    query<T>(sql: string, params: unknown[] = []) {
      return withRetry(
        `running "${oneLine(sql)}"`,
        async () => {
          try {
            const r = await pool.query(sql, params);
            return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
          } catch (cause) {
            throw wrapDbError(cause, sql);
          }
        },
        (err) => isReadOnly(sql) || surelyNotApplied(err),
      );
    },
    exec(sql: string) {
      return withRetry(
        `running "${oneLine(sql)}"`,
        async () => {
          try {
            await pool.query(sql);
          } catch (cause) {
            throw wrapDbError(cause, sql);
          }
        },
        (err) => surelyNotApplied(err),
      );
    },
  };

  const lockClients = new Map<string, { client: pg.PoolClient; lost: boolean }>();
  return {
    kind: 'pg',
    location,
    ...autocommit,
    async transaction(fn, txOptions = {}) {
      for (let attempt = 1; ; attempt++) {
        const client = await connect();
        let lost: unknown;
        const onError = (err: Error) => {
          lost ??= err;
        };
        client.on('error', onError);
        let started = false;
        let committing = false;
        let broken = false;
        try {
          await inSession(client).query(txOptions.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
          started = true;
          const out = await fn(inSession(client));
          committing = true;
          await inSession(client).query('COMMIT');
          return out;
        } catch (err) {
          broken = lost !== undefined || isConnectionLoss(err);
          if (!broken) await client.query('ROLLBACK').catch(() => {});
          if (!isConnectionLoss(err)) throw err;
          const unknownOutcome = committing && !surelyNotApplied(err);
          const what = unknownOutcome
            ? 'committing a transaction (it may or may not have been committed)'
            : 'in a transaction (it was rolled back)';
          // lost before `fn` ran (a pooled session that had ended): nothing to undo, so always try again
          if (!txOptions.retry && started)
            throw connectionLostError(`lost the connection to ${location} ${what}: ${messageOf(err)}`, err);
          if (attempt >= policy.attempts) {
            log({
              event: 'db_gave_up',
              message: `lost the connection to ${location} ${attempt} times ${what}; giving up`,
              attempt,
            });
            throw connectionLostError(
              `lost the connection to ${location} ${attempt} times ${what}; giving up: ${messageOf(err)}`,
              err,
            );
          }
          const delayMs = backoffMs(policy, attempt);
          log({
            event: 'db_retry',
            message: `lost the connection to ${location} ${what} (${messageOf(err)}); running it again from the start, retry ${attempt} of ${policy.attempts - 1} in ${delayMs} ms`,
            attempt,
            delayMs,
          });
          await sleep(delayMs);
        } finally {
          client.removeListener('error', onError);
          client.release(broken ? true : undefined);
        }
      }
    },
    async vectorAvailable() {
      const r = await autocommit.query(`select 1 from pg_available_extensions where name = 'vector'`);
      return r.rows.length > 0;
    },
    async tryLock(key: string) {
      // Session-level advisory lock on a dedicated connection held until release. A lost
      // connection while taking it is retried: the lock, if it was granted, ended with that session.
      const taken = await withRetry(
        `taking the lock "${key}"`,
        async () => {
          const client = await pool.connect();
          const held = { client, lost: false };
          // The session may end under us (server restart, pg_terminate_backend, network): the lock is
          // gone with it. Without a listener the client's 'error' event would kill the process.
          const onError = (err: Error) => {
            if (!held.lost)
              log({
                event: 'db_connection_lost',
                message: `the session holding the lock "${key}" on ${location} ended (${err.message})`,
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
