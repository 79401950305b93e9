import pg from 'pg';
import pgvector from 'pgvector/pg';
import { DatabaseError } from '../errors.js';
import { DEFAULT_RETRY, type DbEvent, type RetryPolicy } from './connection-loss.js';
import type { Db } from './db.js';
import { createPgLocks } from './pg-lock.js';
import { type RetryContext, withRetry } from './pg-retry.js';
import { autocommitOn } from './pg-session.js';
import { runPgTransaction } from './pg-transaction.js';

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
  const ctx: RetryContext = {
    location,
    policy: { ...DEFAULT_RETRY, ...options.retry },
    log: options.log ?? (() => {}),
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
  };
  listen(pool, ctx);
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
  const connect = () =>
    withRetry(
      ctx,
      'connecting',
      () => pool.connect(),
      () => true,
    );
  const autocommit = autocommitOn(pool, ctx);
  const locks = createPgLocks(pool, ctx);
  return {
    kind: 'pg',
    location,
    ...autocommit,
    transaction: (fn, txOptions) => runPgTransaction(connect, ctx, fn, txOptions),
    async vectorAvailable() {
      const r = await autocommit.query(`select 1 from pg_available_extensions where name = 'vector'`);
      return r.rows.length > 0;
    },
    tryLock: locks.tryLock,
    lockHeld: locks.lockHeld,
    async close() {
      locks.releaseAll();
      await pool.end();
    },
  };
}

/**
 * Server notices (RAISE NOTICE, "relation already exists, skipping") become log events, which the
 * CLI writes to stderr: never to stdout, where --json prints its one object. A lost idle connection
 * is logged and leaves the pool instead of killing the process.
 */
function listen(pool: pg.Pool, { location, log }: RetryContext): void {
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
